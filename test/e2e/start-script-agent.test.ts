/**
 * The generated start script runs gpuctl agent beside the application (a real sh, the built gpuctl,
 * the fake nvidia-smi): the agent answers while the application runs, stops when it stops, and an
 * agent that stops on its own takes the application down with it.
 */
import { execa } from 'execa';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadTemplates } from '../../src/init/templates.js';
import { FAKE_BIN, ROOT } from '../helpers/cli.js';
import { alive } from './agent-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'gpuctl-start-agent-'));
const script = join(dir, 'gpuctl-start.sh');
writeFileSync(script, loadTemplates()['gpuctl-start.sh']);
const bin = mkdtempSync(join(tmpdir(), 'gpuctl-start-bin-'));
// The gpuctl on PATH notes each call in GPUCTL_CALLS before it runs the built CLI.
writeFileSync(
  join(bin, 'gpuctl'),
  `#!/bin/sh\necho "$*" >>"$GPUCTL_CALLS"\nexec '${process.execPath}' '${join(ROOT, 'bin/gpuctl.js')}' "$@"\n`,
);
writeFileSync(join(bin, 'nvidia-smi'), `#!/bin/sh\nexec '${process.execPath}' '${join(FAKE_BIN, 'nvidia-smi')}' "$@"\n`);
chmodSync(join(bin, 'gpuctl'), 0o755);
chmodSync(join(bin, 'nvidia-smi'), 0o755);

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

// The "application": handles SIGINT/SIGTERM, says it is up, asks the agent for /gpu-health until it answers 200,
// prints it, then waits.
const APP = `
const port = process.env.GPUCTL_METRICS_PORT;
const stop = (s) => { console.log('app got ' + s); process.exit(0); };
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
console.log('app up');
const ask = () => fetch('http://127.0.0.1:' + port + '/gpu-health').then(async (r) => (r.status === 200 ? console.log('gpu-health', r.status, (await r.json()).gpus) : setTimeout(ask, 100)), () => setTimeout(ask, 100));
ask();
setInterval(() => {}, 1000);
`;

function start(env: Record<string, string>) {
  const smiDir = mkdtempSync(join(tmpdir(), 'smi-pids-'));
  const smiPids = join(smiDir, 'pids');
  const smiLog = join(smiDir, 'calls');
  const gpuctlLog = join(smiDir, 'gpuctl-calls');
  const child = execa('sh', [script, process.execPath, '-e', APP], {
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      GPUCTL_DEVICE: 'cuda',
      FAKE_NVIDIA_SMI_FIXTURE: 'public/gls__H100NVLx2.nvidia-smi-q.txt',
      FAKE_NVIDIA_SMI_PIDFILE: smiPids,
      FAKE_NVIDIA_SMI_LOG: smiLog,
      GPUCTL_AGENT_INTERVAL: '200ms',
      GPUCTL_CALLS: gpuctlLog,
      NO_COLOR: '1',
      ...env,
    },
    extendEnv: false,
    reject: false,
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => void (out += chunk.toString()));
  return { child, out: () => out, smiPids, smiLog, gpuctlCalls: () => (existsSync(gpuctlLog) ? readFileSync(gpuctlLog, 'utf8') : '') };
}

test('the agent serves beside the application and goes when the application goes', async () => {
  const port = await freePort();
  const run = start({ GPUCTL_METRICS_PORT: String(port) });
  await expect.poll(run.out, { timeout: 15_000 }).toMatch(/gpu-health 200 2\n/);
  const smi = readFileSync(run.smiPids, 'utf8').trim().split('\n').map(Number).at(-1)!;
  expect(alive(smi)).toBe(true);
  // Fly's kill_signal is SIGINT, sent to the entrypoint: the application itself (the script exec'd it).
  run.child.kill('SIGINT');
  const result = await run.child;
  expect(result.exitCode).toBe(0);
  expect(run.out()).toContain('app got SIGINT');
  expect(run.gpuctlCalls()).toBe('agent\n');
  // The agent notices the application is gone and stops, taking its nvidia-smi with it.
  await expect.poll(() => alive(smi), { timeout: 5000 }).toBe(false);
  await expect
    .poll(
      () =>
        fetch(`http://127.0.0.1:${port}/health`).then(
          () => 'up',
          () => 'down',
        ),
      { timeout: 5000 },
    )
    .toBe('down');
});

test('an agent that stops on its own stops the application', async () => {
  const port = await freePort();
  const blocker = createServer().listen(port, '::');
  try {
    const run = start({ GPUCTL_METRICS_PORT: String(port) });
    const result = await run.child;
    expect(run.out()).toContain('app got SIGTERM');
    expect(String(result.stderr)).toContain('the port is in use');
    expect(String(result.stderr)).toContain('gpuctl-start: gpuctl agent exited (1); stopping the application');
  } finally {
    blocker.close();
  }
});

test('GPUCTL_AGENT=off runs the application alone', async () => {
  const run = start({ GPUCTL_AGENT: 'off', GPUCTL_METRICS_PORT: String(await freePort()) });
  await expect.poll(run.out, { timeout: 10_000 }).toContain('app up');
  run.child.kill('SIGTERM');
  expect((await run.child).exitCode).toBe(0);
  expect(run.out()).toBe('app up\napp got SIGTERM\n');
  // The script never started gpuctl (the agent would have been forked before the application started),
  // and nvidia-smi ran at boot (the script's own check), never looping for an agent.
  expect(run.gpuctlCalls()).toBe('');
  const calls = readFileSync(run.smiLog, 'utf8').trim().split('\n');
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.filter((c) => c.includes('-lms'))).toEqual([]);
});
