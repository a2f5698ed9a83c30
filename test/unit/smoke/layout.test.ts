/** gpuctl smoke reads the layout: what it cannot read is a usage error (exit 2) naming the file, never an "unexpected error". */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { readLayout } from '../../../src/smoke/layout.js';
import { loadTarget } from '../../../src/smoke/load-target.js';

const FLY = "app = 'demo'\n[http_service]\n  internal_port = 8080\n[metrics]\n  port = 9091\n";

function layout(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-smoke-layout-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('readLayout', () => {
  it("a checkout without init's own files (.gpuctl/gpuctl.tgz, gpuctl-start.sh): said before the build, with the init that writes them", async () => {
    const dockerfile = 'FROM ubuntu:22.04\nCOPY .gpuctl/gpuctl.tgz /tmp/gpuctl.tgz\nCOPY --chmod=755 gpuctl-start.sh /usr/local/bin/\n';
    const dir = layout({ 'fly.toml': FLY, Dockerfile: dockerfile });
    // The old smoke built it, and podman said: copier: stat: "/.gpuctl/gpuctl.tgz": no such file or directory.
    const error = await readLayout(dir).catch((e: unknown) => e as { message: string; hint: string; exitCode: number });
    expect(error).toMatchObject({
      exitCode: ExitCode.usage,
      message: `${join(dir, '.gpuctl/gpuctl.tgz')} not found: the Dockerfile copies it, and \`gpuctl init\` writes it.`,
      hint: `Run \`gpuctl init --dir ${dir}\` again (it reproduces its files from .gpuctl.json), and keep .gpuctl/gpuctl.tgz with the layout (commit it).`,
    });
    mkdirSync(join(dir, '.gpuctl'));
    writeFileSync(join(dir, '.gpuctl/gpuctl.tgz'), '');
    await expect(readLayout(dir)).rejects.toThrow(`${join(dir, 'gpuctl-start.sh')} not found`);
    writeFileSync(join(dir, 'gpuctl-start.sh'), '');
    await expect(readLayout(dir)).resolves.toMatchObject({ app: 'demo' });
  });

  it('reads the ports, the health path and the environment of a plain layout', async () => {
    const read = await readLayout(layout({ 'fly.toml': `${FLY}[env]\n  A = '1'\n`, Dockerfile: 'FROM ubuntu:22.04\nUSER app\n' }));
    expect(read).toMatchObject({ app: 'demo', port: 8080, metricsPort: 9091, env: { A: '1' }, runAs: 'app' });
    expect(loadTarget(read.probes, read.port, undefined)).toEqual({
      path: '/health',
      from: "smoke's default: the service on 8080 has no GET http check to take a path from",
    });
  });

  it("--loadtest's path: [[http_service.checks]]'s, a [[services]]'s legacy [[services.http_checks]]'s (flyctl still honours it), --path first", async () => {
    const target = async (fly: string, path?: string) => {
      const read = await readLayout(layout({ 'fly.toml': fly, Dockerfile: 'FROM ubuntu:22.04\n' }));
      return loadTarget(read.probes, read.port, path);
    };
    const ready = "[http_service]\n  internal_port = 8080\n[[http_service.checks]]\n  path = '/ready'\n";
    expect(await target(ready)).toEqual({ path: '/ready', from: '[[http_service.checks]]' });
    expect(await target(ready, '/predict')).toEqual({ path: '/predict', from: '--path' });
    const legacy =
      "[[services]]\n  internal_port = 8080\n  protocol = 'tcp'\n[[services.tcp_checks]]\n  interval = '15s'\n[[services.http_checks]]\n  path = '/livez'\n";
    expect(await target(legacy)).toEqual({ path: '/livez', from: '[[services.http_checks]]' });
  });

  it("--loadtest sends GETs over http: a POST or https check's path is passed over for the next GET one (before: the first check's, whatever its method)", async () => {
    const fly =
      "[http_service]\n  internal_port = 8080\n[[http_service.checks]]\n  method = 'post'\n  path = '/warmup'\n" +
      "[[http_service.checks]]\n  protocol = 'https'\n  path = '/tls'\n[[http_service.checks]]\n  method = 'head'\n  path = '/health'\n" +
      "[checks.side]\n  type = 'http'\n  port = 8080\n  path = '/side'\n";
    const read = await readLayout(layout({ 'fly.toml': fly, Dockerfile: 'FROM ubuntu:22.04\n' }));
    expect(loadTarget(read.probes, read.port, undefined)).toEqual({ path: '/health', from: '[[http_service.checks]]' });
  });

  it("the agent's port from [checks.gpu] without [metrics]; kill_signal in any case; a GPU layout by compose.yaml's reservation", async () => {
    const fly = "kill_signal = 'sigterm'\n[http_service]\n  internal_port = 8080\n[checks.gpu]\n  port = 9400\n  type = 'http'\n";
    const read = await readLayout(layout({ 'fly.toml': fly, Dockerfile: 'FROM python:3.12-slim\n' }));
    expect(read).toMatchObject({ metricsPort: 9400, killSignal: 'SIGTERM', gpuLayout: false });
    const compose =
      'services:\n  app:\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - capabilities: [gpu]\n';
    const local = await readLayout(layout({ 'fly.toml': fly, Dockerfile: 'FROM python:3.12-slim\n', 'compose.yaml': compose }));
    expect(local.gpuLayout).toBe(true);
  });

  it("a local-GPU layout's compose.yaml environment, as a map or as compose's list form; a key without a value is the shell's, left out", async () => {
    const compose = (environment: string) => `services:\n  app:\n    environment:\n${environment}`;
    const files = { 'fly.toml': `${FLY}[env]\n  FROM_FLY = '1'\n`, Dockerfile: 'FROM ubuntu:22.04\n' };
    const map = await readLayout(layout({ ...files, 'compose.yaml': compose("      A: '1'\n      B: 2\n      FROM_SHELL:\n") }));
    expect(map.env).toEqual({ A: '1', B: '2' });
    const listed = await readLayout(layout({ ...files, 'compose.yaml': compose('      - A=1\n      - C=x=y\n      - FROM_SHELL\n') }));
    expect(listed.env).toEqual({ A: '1', C: 'x=y' });
  });

  it("kill_timeout as flyctl reads it: integer seconds or a duration string; Fly's 5 s when absent", async () => {
    const stop = async (line: string) =>
      (await readLayout(layout({ 'fly.toml': `${line}\n${FLY}`, Dockerfile: 'FROM ubuntu:22.04\n' }))).killTimeoutS;
    expect(await stop('kill_timeout = 30')).toBe(30);
    expect(await stop("kill_timeout = '30s'")).toBe(30);
    expect(await stop("kill_timeout = '1m30s'")).toBe(90);
    expect(await stop('')).toBe(5);
  });

  it('--dir naming a file: a usage error that says so', async () => {
    const file = join(layout({ 'fly.toml': FLY }), 'fly.toml');
    await expect(readLayout(file)).rejects.toMatchObject({
      exitCode: ExitCode.usage,
      message: `${file} is not a directory: --dir names the directory \`gpuctl init\` wrote.`,
    });
  });

  it('a compose.yaml that is not YAML: a usage error naming the file', async () => {
    const dir = layout({ 'fly.toml': FLY, Dockerfile: 'FROM ubuntu:22.04\n', 'compose.yaml': 'services: [\n' });
    const error = await readLayout(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: ExitCode.usage, hint: 'Run `gpuctl validate` for the details.' });
    expect((error as Error).message).toMatch(new RegExp(`^${join(dir, 'compose.yaml')} is not valid YAML: \\S`));
  });
  it('reads the Dockerfile through shared/dockerfile.ts: the final stage with its lineage, ARGs expanded, any registry, heredocs as heredocs', async () => {
    const facts = async (dockerfile: string) => {
      const read = await readLayout(layout({ 'fly.toml': FLY, Dockerfile: dockerfile }));
      return { gpuLayout: read.gpuLayout, runAs: read.runAs };
    };
    const cuda = 'nvidia/cuda:12.4.1-base-ubuntu22.04';
    // Before: only a final FROM spelling nvidia/cuda itself counted, and the user was read from the final stage's text.
    expect(await facts(`FROM docker.io/${cuda}\n`)).toEqual({ gpuLayout: true, runAs: null });
    expect(await facts(`ARG BASE=${cuda}\nFROM \${BASE}\n`)).toEqual({ gpuLayout: true, runAs: null });
    expect(await facts(`FROM ${cuda} AS base\nUSER app\nFROM base AS runtime\nCMD ["serve"]\n`)).toEqual({ gpuLayout: true, runAs: 'app' });
    expect(await facts(`FROM ${cuda}\nRUN <<EOF\ncat > notes <<'X'\nFROM scratch\nUSER nobody\nX\nEOF\n`)).toEqual({
      gpuLayout: true,
      runAs: null,
    });
    expect(await facts(`FROM ${cuda}\nARG WHO=svc\nUSER \${WHO}:\${WHO}\n`)).toEqual({ gpuLayout: true, runAs: 'svc' });
    // Kept: GPUCTL_RUN_AS in an ENV when there is no USER; root is nobody to drop to; a CPU base is no GPU layout.
    expect(await facts('FROM ubuntu:22.04\nENV A=1 \\\n    GPUCTL_RUN_AS=app\n')).toEqual({ gpuLayout: false, runAs: 'app' });
    expect(await facts(`FROM ${cuda}\nUSER root\n`)).toEqual({ gpuLayout: true, runAs: null });
  });

  it("a GPU layout by compose.yaml's parsed device requests, not a regex on its text: a block list or a quoted gpu counts, a comment does not", async () => {
    const gpuLayout = async (devices: string) => {
      const compose = `services:\n  app:\n    deploy:\n      resources:\n        reservations:\n          devices:\n${devices}`;
      const read = await readLayout(layout({ 'fly.toml': FLY, Dockerfile: 'FROM python:3.12-slim\n', 'compose.yaml': compose }));
      return read.gpuLayout;
    };
    expect(await gpuLayout('            - driver: nvidia\n              capabilities:\n                - gpu\n')).toBe(true);
    expect(await gpuLayout('            - capabilities: ["gpu"]\n')).toBe(true);
    expect(await gpuLayout('            - capabilities: [gpu]\n')).toBe(true);
    expect(await gpuLayout('            # - capabilities: [gpu]\n            - capabilities: [tpu]\n')).toBe(false);
  });
});
