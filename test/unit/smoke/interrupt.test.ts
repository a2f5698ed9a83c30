/**
 * Ctrl-C during the build. podman ended by a signal keeps its build containers, so smoke lets it stop by itself:
 * the build runs with a grace (exec.ts abortGraceMs ends only its RUN step), smoke says so at once, and the hint
 * naming podman's commands comes only when podman had to be ended. docker (its daemon cleans up) is ended at once.
 * Either way the image's tag is removed: a build podman finished inside its grace tagged it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSmoke, smokeCommand } from '../../../src/commands/smoke.js';
import type { ExecRequest, ExecResult } from '../../../src/exec.js';
import { ExitCode } from '../../../src/errors.js';
import type { EngineName } from '../../../src/smoke/engine.js';
import { PODMAN_LEFTOVERS, PODMAN_STOPPING, runSmoke } from '../../../src/smoke/run.js';
import { exited, makeTestCtx } from '../../helpers/ctx.js';

/** runSmoke with ENGINE whose build is interrupted by Ctrl-C (aborted while it runs) and then ends as `ends` says. */
async function interruptedBuild(engine: EngineName, ends: ExecResult) {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-smoke-run-'));
  writeFileSync(join(dir, 'fly.toml'), "app = 'demo'\n[http_service]\n  internal_port = 8080\n");
  writeFileSync(join(dir, 'Dockerfile'), 'FROM ubuntu:22.04\n');
  const controller = new AbortController();
  const base = makeTestCtx({
    env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'gpuctl-smoke-state-')) },
    rules: [
      { match: (r) => r.args[0] === 'info', result: exited('{}') },
      { match: (r) => r.args[0] === 'build', result: () => (controller.abort(), ends) },
      { match: (r) => r.args[0] === 'rmi', result: exited('') },
    ],
  });
  const ctx = { ...base, signal: controller.signal };
  const notices: string[] = [];
  const deps = {
    readVerdict: () => null,
    progress: () => undefined,
    notice: (t: string) => void notices.push(t),
    hasGpu: async () => false,
    loadtest: undefined,
  };
  const error = await runSmoke(ctx, { dir, engine, buildArgs: [], waitTimeoutMs: 1000, keep: false }, deps).then(
    () => null,
    (e: unknown) => e as { exitCode: number; hint?: string },
  );
  const build = base.calls.find((c) => c.args[0] === 'build') as ExecRequest;
  return { error, build, calls: base.calls.map((c) => c.args.slice(0, 4)), notices };
}

const tagged = ['rmi', '--force', '--no-prune', expect.stringMatching(/^localhost\/gpuctl-smoke-demo:/)];

it('podman stopped by itself within its grace: exit 130, no leftovers hint; it was told at once what happens; the tag is removed', async () => {
  const { error, build, calls, notices } = await interruptedBuild('podman', {
    kind: 'interrupted',
    stdout: '',
    stderr: '',
    exitedItself: true,
  });
  expect(error).toMatchObject({ exitCode: ExitCode.interrupted });
  expect(error?.hint).toBeUndefined();
  expect(build.abortGraceMs).toBe(30_000);
  expect(notices).toEqual([PODMAN_STOPPING]);
  expect(PODMAN_STOPPING).toContain('Ctrl-C again quits at once, which leaves them: `podman ps --all --external` lists them');
  expect(calls).toEqual([['info', '--format', '{{json .}}'], ['build', '--force-rm', '--label', expect.any(String)], tagged]);
});

it('podman ended after its grace: exit 130 with the hint naming podman ps --external and rm', async () => {
  const { error } = await interruptedBuild('podman', { kind: 'interrupted', stdout: '', stderr: '', exitedItself: false });
  expect(error).toMatchObject({ exitCode: ExitCode.interrupted, hint: PODMAN_LEFTOVERS });
  expect(PODMAN_LEFTOVERS).toMatch(/^podman did not stop by itself within 30 s and was ended, .*`podman rm --force ID` removes one\.$/);
});

it('docker is ended at once (no grace, no podman notes)', async () => {
  const { error, build, notices } = await interruptedBuild('docker', { kind: 'interrupted', stdout: '', stderr: '' });
  expect(error).toMatchObject({ exitCode: ExitCode.interrupted });
  expect(error?.hint).toBeUndefined();
  expect(build.abortGraceMs).toBeUndefined();
  expect(notices).toEqual([]);
});

describe('the command shows the notice as a line that stays', () => {
  const run = async (json: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-smoke-run-'));
    writeFileSync(join(dir, 'fly.toml'), "app = 'demo'\n[http_service]\n  internal_port = 8080\n");
    writeFileSync(join(dir, 'Dockerfile'), 'FROM ubuntu:22.04\n');
    const controller = new AbortController();
    const base = makeTestCtx({
      json,
      env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'gpuctl-smoke-state-')) },
      rules: [
        { match: (r) => r.args[0] === 'info', result: exited('{}') },
        {
          match: (r) => r.args[0] === 'build',
          result: () => (controller.abort(), { kind: 'interrupted', stdout: '', stderr: '', exitedItself: true }),
        },
        { match: (r) => r.args[0] === 'rmi', result: exited('') },
      ],
    });
    const ctx = { ...base, signal: controller.signal };
    await expect(smokeCommand.run!(parseSmoke({ args: [], opts: { dir, engine: 'podman' } }), ctx)).rejects.toMatchObject({
      exitCode: ExitCode.interrupted,
    });
    return base.err();
  };

  it('on a screen, the build step ends with it (a warning mark), where a spinner cannot draw over it', async () => {
    expect(await run(false)).toContain(`! ${PODMAN_STOPPING}\n`);
  });

  it('with --json (no spinner), a warning on stderr', async () => {
    expect(await run(true)).toBe(`Warning: ${PODMAN_STOPPING}\n`);
  });
});
