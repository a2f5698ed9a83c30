/** `gpuctl agent --with-pid N` for a process that is not there: a usage error before it serves (it served, then exited 0). */
import { expect, it } from 'vitest';
import { runCli } from '../../../src/cli.js';
import { fakeClock } from '../../helpers/clock.js';
import { cliIO, makeTestCtx } from '../../helpers/ctx.js';

it('--with-pid of a process that does not exist: exit 2 with why, nothing served (it exited 0 at its first look)', async () => {
  const gone = 2 ** 30; // above any pid_max Linux allows (2^22): no such process
  const ctx = makeTestCtx({
    clock: fakeClock(),
    rules: [{ match: (r) => r.file === 'dmesg', result: { kind: 'not-found', file: 'dmesg' } }],
    stream: () => ({ pid: undefined, stop: () => undefined, ended: Promise.resolve({ kind: 'not-found', file: 'nvidia-smi' }) }),
  });
  const code = await runCli(cliIO(['agent', '--listen', '127.0.0.1:0', '--with-pid', String(gone)], ctx));
  expect(code).toBe(2);
  expect(ctx.err()).toContain(`--with-pid ${gone}: there is no process ${gone}, so the agent would stop at once.`);
  expect(ctx.err()).toContain('leave --with-pid and GPUCTL_AGENT_WITH_PID out');
  expect(ctx.out()).not.toContain('listening');
});
