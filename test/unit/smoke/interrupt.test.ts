/**
 * Ctrl-C during the build. podman ended by a signal keeps its build containers, so smoke lets it stop by itself:
 * the build runs with a grace (exec.ts abortGraceMs ends only its RUN step), smoke says so at once, and the hint
 * naming podman's commands comes only when podman had to be ended. docker (its daemon cleans up) is ended at once.
 * Either way the image's tag is removed: a build podman finished inside its grace tagged it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quietSmokeDeps } from '../../helpers/smoke-engine.js';
import { describe, expect, it } from 'vitest';
import { parseSmoke, smokeCommand } from '../../../src/commands/smoke.js';
import type { ExecRequest, ExecResult } from '../../../src/exec.js';
import { ExitCode } from '../../../src/errors.js';
import type { EngineName } from '../../../src/smoke/engine.js';
import { PODMAN_STOPPING, podmanLeftovers } from '../../../src/smoke/build.js';
import { buildContainersSince } from '../../../src/smoke/engine.js';
import { runSmoke } from '../../../src/smoke/run.js';
import { exited, makeTestCtx } from '../../helpers/ctx.js';

/** runSmoke with ENGINE whose build is interrupted by Ctrl-C (aborted while it runs) and then ends as `ends` says. */
async function interruptedBuild(engine: EngineName, ends: ExecResult, ps: ExecResult = exited('')) {
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
      { match: (r) => r.args[0] === 'ps', result: ps },
    ],
  });
  const ctx = { ...base, signal: controller.signal };
  const notices: string[] = [];
  const deps = quietSmokeDeps({ notice: (t: string) => void notices.push(t) });
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

describe('podman ended after its grace', () => {
  const ended: ExecResult = { kind: 'interrupted', stdout: '', stderr: '', exitedItself: false };
  const now = Math.floor(Date.now() / 1000);

  it('exit 130; the hint names the build containers made since the build began, in one podman rm', async () => {
    const ps = exited(`0b70d2d42bc1 buildah ${now - 3600}\n17278a1e6bf4 buildah ${now + 1}\n9fd05f4e4d0a buildah ${now + 2}\n`);
    const { error, calls } = await interruptedBuild('podman', ended, ps);
    expect(error).toMatchObject({ exitCode: ExitCode.interrupted, hint: podmanLeftovers(['17278a1e6bf4', '9fd05f4e4d0a']) });
    expect(error?.hint).toBe(
      "podman did not stop by itself within 30 s and was ended, leaving the build's containers in its storage: 2 made while smoke built (another build running then would own some of them): `podman rm --force 17278a1e6bf4 9fd05f4e4d0a` removes them.",
    );
    expect(calls).toContainEqual(['ps', '--all', '--external', '--format']);
  });

  it('none made since: no hint; podman not answering: the commands to find them', async () => {
    expect((await interruptedBuild('podman', ended, exited(`0b70d2d42bc1 buildah ${now - 3600}\n`))).error?.hint).toBeUndefined();
    const { error } = await interruptedBuild('podman', ended, exited('', 125, 'Error: database is locked'));
    expect(error?.hint).toBe(
      'podman did not stop by itself within 30 s and was ended, which may leave the build\'s containers in its storage: `podman ps --all --external` lists them (STATUS "Storage"), `podman rm --force ID` removes one.',
    );
  });
});

it('buildContainersSince: only podman\'s build containers ("buildah"), made at or after the second given; anything else is passed over', () => {
  const ps = [
    '0b70d2d42bc1 buildah 99',
    '17278a1e6bf4 buildah 100',
    '9fd05f4e4d0a python3 -m app 100',
    'aa9c48368681 buildah 101',
    'Error: something',
    '',
  ].join('\n');
  expect(buildContainersSince(ps, 100)).toEqual(['17278a1e6bf4', 'aa9c48368681']);
  expect(buildContainersSince('', 100)).toEqual([]);
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
