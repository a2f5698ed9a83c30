/**
 * What the image tests share: a layout written by the real `gpuctl init` with a tiny application (a Python
 * http.server answering /health), built with podman on the stand-in bases, and containers started from it
 * with the ports published on 127.0.0.1 only and fly.toml's (or compose.yaml's) environment, as Fly does.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { expect } from 'vitest';
import { runGpuctl } from '../helpers/cli.js';
import { podman } from '../helpers/engine.js';

export const RUN_ID = `${process.pid}`;

/**
 * The test application: /health answers 200 (HTTP/1.1, keep-alive); it exits with APP_EXIT_CODE at once
 * when that is set, and never listens when APP_HANG is.
 */
const APP = `import http.server, os, sys, time
if os.environ.get('APP_EXIT_CODE'):
    sys.exit(int(os.environ['APP_EXIT_CODE']))
if os.environ.get('APP_HANG'):
    time.sleep(1000000)
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_GET(self):
        body = b'{"ok": true}' if self.path == '/health' else b'not found'
        self.send_response(200 if self.path == '/health' else 404)
        self.send_header('content-length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(('0.0.0.0', int(os.environ['GPUCTL_PORT'])), Handler).serve_forever()
`;

export interface Layout {
  dir: string;
  port: number;
  metricsPort: number;
  killTimeoutS: number;
  env: Record<string, string>;
}

/** `gpuctl init ARGS` into a new directory holding the test application; the environment Fly (or compose) would give it. */
export async function writeLayout(args: readonly string[], gpu?: { fixture: string }): Promise<Layout> {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-image-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', '__init__.py'), '');
  writeFileSync(join(dir, 'app', '__main__.py'), APP);
  writeFileSync(join(dir, 'requirements.txt'), '');
  const init = await runGpuctl(['init', '--yes', ...args], {
    cwd: dir,
    tools: gpu ? ['nvidia-smi'] : [],
    env: gpu ? { FAKE_NVIDIA_SMI_FIXTURE: gpu.fixture } : {},
    timeoutMs: 60_000,
  });
  expect(init.exitCode, init.stderr).toBe(0);
  const fly = parseToml(readFileSync(join(dir, 'fly.toml'), 'utf8')) as {
    env: Record<string, string>;
    kill_timeout: number;
    http_service: { internal_port: number };
    metrics: { port: number };
  };
  let env = fly.env;
  if (gpu) {
    const compose = parseYaml(readFileSync(join(dir, 'compose.yaml'), 'utf8')) as {
      services: { app: { environment: Record<string, string> } };
    };
    env = compose.services.app.environment;
  }
  return { dir, port: fly.http_service.internal_port, metricsPort: fly.metrics.port, killTimeoutS: fly.kill_timeout, env };
}

export interface Started {
  name: string;
  app: string;
  agent: string;
}

/** Starts TAG detached with LAYOUT's environment (and EXTRA), ports on 127.0.0.1 on free host ports. */
export async function startContainer(
  engine: Record<string, string>,
  tag: string,
  layout: Layout,
  extra: { env?: Record<string, string>; args?: readonly string[] } = {},
): Promise<Started> {
  const name = `gpuctl-e2e-${RUN_ID}-${Math.random().toString(36).slice(2, 8)}`;
  const env = Object.entries({ ...layout.env, ...extra.env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const run = await podman(engine, [
    'run',
    '-d',
    '--name',
    name,
    '--label',
    `gpuctl-e2e=${RUN_ID}`,
    '-p',
    `127.0.0.1::${layout.port}`,
    '-p',
    `127.0.0.1::${layout.metricsPort}`,
    ...env,
    ...(extra.args ?? []),
    tag,
  ]);
  expect(run.exitCode, String(run.stderr)).toBe(0);
  const hostPort = async (port: number) => {
    const out = await podman(engine, ['port', name, String(port)]);
    return /^127\.0\.0\.1:(\d+)$/m.exec(String(out.stdout))?.[1] ?? '';
  };
  return { name, app: `http://127.0.0.1:${await hostPort(layout.port)}`, agent: `http://127.0.0.1:${await hostPort(layout.metricsPort)}` };
}

/** GET URL: status and body, or 0 when nothing answers. */
export async function get(url: string): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return { status: response.status, body: await response.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

/** The container's processes as `podman top` sees them: user and command line. */
export async function processes(engine: Record<string, string>, name: string): Promise<Array<{ pid: string; user: string; args: string }>> {
  const top = await podman(engine, ['top', name, 'pid', 'user', 'args']);
  return String(top.stdout)
    .split('\n')
    .slice(1)
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: m[1]!, user: m[2]!, args: m[3]!.trim() }));
}

/** Waits for the container to exit; its exit code. */
export async function exitCode(engine: Record<string, string>, name: string, timeoutMs: number): Promise<number> {
  const wait = await podman(engine, ['wait', name], { timeout: timeoutMs });
  return Number(String(wait.stdout).trim());
}

/** Removes every container and image this test run made. */
export async function cleanUp(engine: Record<string, string>, tags: readonly string[]): Promise<void> {
  const ours = await podman(engine, ['ps', '-aq', '--filter', `label=gpuctl-e2e=${RUN_ID}`]);
  const ids = String(ours.stdout).split('\n').filter(Boolean);
  if (ids.length > 0) await podman(engine, ['rm', '-f', '-v', '-t', '0', ...ids]);
  // --no-prune, as smoke does: the layers stay as podman's build cache for the next build (smoke's, in the same run).
  if (tags.length > 0) await podman(engine, ['rmi', '-f', '--no-prune', ...tags]);
}
