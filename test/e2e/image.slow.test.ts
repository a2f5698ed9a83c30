/**
 * What `gpuctl init` generates, built and run for real: podman (runc) on the stand-in bases, one image per
 * layout (one per set of build inputs: the four CPU workloads share one), each layout run with its own fly.toml's
 * environment and kill_timeout (compose.yaml's for a local GPU layout) and its ports on 127.0.0.1. No GPU here: a
 * GPU layout takes the start script's CPU fallback, and says so.
 * [slow]: each build takes 20-90 s on 2 cores; the Node 22/24 re-runs leave these out (the image's Node is its own).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMetrics } from '../helpers/prometheus.js';
import { buildImage, podman } from '../helpers/engine.js';
import { cleanUp, exitCode, get, processes, RUN_ID, startContainer, writeLayout, type Layout } from './image-helpers.js';

const BUILD_MS = 20 * 60_000;
const tags: string[] = [];
let engine: Record<string, string> = {};
const built = new Map<string, { tag: string; layout: Layout }>();
/** The image built from each set of build inputs (buildInputs). */
const images = new Map<string, string>();

/**
 * What a build reads from a layout, as one digest: the Dockerfile's instructions (its comment lines name the app
 * and the workload, and build nothing; parser directives are kept) and every other file of the context but those
 * .dockerignore names exactly (fly.toml, .gpuctl.json). A pattern there (*.pyc) is not matched, so a file it
 * would keep out still counts: that can cost a build, never share one wrongly. The four CPU workloads' layouts
 * differ only in fly.toml (kill_timeout, swap), so they share one image and each runs it with its own
 * fly.toml; the Dockerfile's comments reach the image only as the text of /app/Dockerfile.
 */
function buildInputs(dir: string): string {
  const ignored = new Set(
    readFileSync(join(dir, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#')),
  );
  const hash = createHash('sha256');
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (ignored.has(name) || ignored.has(path)) continue;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else {
        let text = readFileSync(join(dir, path));
        if (path === 'Dockerfile')
          text = Buffer.from(
            text
              .toString('utf8')
              .split('\n')
              .filter((line) => !/^\s*#/.test(line) || /^#\s*(syntax|escape|check)=/i.test(line))
              .join('\n'),
          );
        hash.update(`${path}\0${text.length}\0`).update(text);
      }
    }
  };
  walk('');
  return hash.digest('hex');
}

/** `gpuctl init ARGS`, then its image: built, or the one already built from the same build inputs. */
async function build(key: string, args: readonly string[], gpu?: { fixture: string }) {
  const layout = await writeLayout(args, gpu);
  const inputs = buildInputs(layout.dir);
  let tag = images.get(inputs);
  if (tag === undefined) {
    tag = `localhost/gpuctl-e2e-${key}:${RUN_ID}`;
    engine = await buildImage(layout.dir, tag);
    tags.push(tag);
    images.set(inputs, tag);
  }
  built.set(key, { tag, layout });
  return { tag, layout };
}

afterAll(async () => {
  if (tags.length > 0) await cleanUp(engine, tags);
}, 120_000);

/** Runs the image, checks what a deploy relies on, then stops it as Fly does (kill_signal, within kill_timeout). */
async function runAndStop(tag: string, layout: Layout, expected: { httpStatus: number; verdict: Record<string, unknown> }) {
  // An anonymous volume at /models, root-owned as Fly mounts one.
  const c = await startContainer(engine, tag, layout, { args: ['-v', '/models'] });
  await expect.poll(async () => (await get(`${c.app}/health`)).status, { timeout: 60_000, interval: 500 }).toBe(200);
  await expect.poll(async () => (await get(`${c.agent}/health`)).status, { timeout: 30_000, interval: 500 }).toBe(200);
  const verdict = await get(`${c.agent}/gpu-health`);
  expect(JSON.parse(verdict.body), verdict.body).toMatchObject(expected.verdict);
  expect(verdict.status).toBe(expected.httpStatus);
  const metrics = parseMetrics((await get(`${c.agent}/metrics`)).body);
  expect([...metrics.keys()]).toEqual(expect.arrayContaining(['gpuctl_host_cpus', 'gpuctl_host_load1']));
  // The application and the agent run as the Dockerfile's `app` (uid 10001), never as root; tini is PID 1.
  const ps = await processes(engine, c.name);
  expect(ps.find((p) => p.pid === '1')?.args).toMatch(/^\/usr\/bin\/tini -s -- \/usr\/local\/bin\/gpuctl-start/);
  expect(ps.find((p) => p.args.startsWith('python3 -m app'))?.user).toBe('app');
  expect(ps.find((p) => p.args.includes('gpuctl agent'))?.user).toBe('app');
  // The multi-stage promise: no compiler or build tool in the final stage.
  const tools = await podman(engine, [
    'exec',
    c.name,
    'sh',
    '-c',
    'for t in gcc cc g++ c++ make ld nvcc git; do command -v "$t"; done; true',
  ]);
  expect(String(tools.stdout).trim()).toBe('');
  // The model volume's directory is handed to the application's user.
  const write = await podman(engine, ['exec', '--user', 'app', c.name, 'sh', '-c', 'touch /models/probe && echo written']);
  expect(String(write.stdout).trim(), String(write.stderr)).toBe('written');

  const started = performance.now();
  const stop = await podman(engine, ['stop', '-t', String(layout.killTimeoutS), c.name], { timeout: (layout.killTimeoutS + 30) * 1000 });
  const seconds = (performance.now() - started) / 1000;
  expect(stop.exitCode, String(stop.stderr)).toBe(0);
  // STOPSIGNAL SIGINT (fly.toml's kill_signal) reached the application through tini: Python ends with
  // KeyboardInterrupt, 130, long before kill_timeout (podman's SIGKILL would be 137).
  expect(await exitCode(engine, c.name, 30_000)).toBe(130);
  expect(seconds).toBeLessThan(layout.killTimeoutS);
  return c;
}

describe('the CPU layout, one image per workload profile (one build for layouts with the same build inputs)', () => {
  for (const workload of ['inference', 'batch', 'backtest', 'training']) {
    it(
      `${workload}: builds, answers /health as app, the agent reports cpu fallback, stops on SIGINT with 130`,
      async () => {
        const { tag, layout } = await build(`cpu-${workload}`, ['-a', `img-${workload}`, '--workload', workload]);
        await runAndStop(tag, layout, { httpStatus: 200, verdict: { status: 'ok', mode: 'cpu fallback', gpus: 0 } });
      },
      BUILD_MS,
    );
  }
});

describe('the GPU layout for a local GPU, on its stand-in base (CPU fallback here)', () => {
  for (const [name, fixture, gpus] of [
    ['a100', 'public/gls__A100SXMx4.nvidia-smi-q.txt', 4],
    ['h200', 'h200-x1/query.csv', 1],
  ] as const) {
    it(
      `${name}: builds from the nvidia/cuda stand-ins, runs on the CPU saying why, and /gpu-health fails for the missing GPUs`,
      async () => {
        const { tag, layout } = await build(`gpu-${name}`, ['-a', `img-${name}`, '--for-local-gpu'], { fixture });
        // The layout expects its GPUs (GPUCTL_AGENT_EXPECT_GPUS from compose.yaml): running without them is a
        // failing /gpu-health (503), not a quiet CPU fallback; the application itself still runs.
        const c = await runAndStop(tag, layout, {
          httpStatus: 503,
          verdict: {
            status: 'failing',
            mode: 'cpu fallback',
            failures: [
              { condition: 'nvidia-smi-missing', message: `nvidia-smi is not installed, but this machine should have ${gpus} GPU(s)` },
            ],
          },
        });
        const logs = await podman(engine, ['logs', c.name]);
        expect(String(logs.stderr)).toContain(
          'gpuctl-start: nvidia-smi not found: no NVIDIA driver here; running on the CPU (GPUCTL_DEVICE=cpu)',
        );
      },
      BUILD_MS,
    );
  }
});

describe('the start script inside the image (the inference image)', () => {
  const image = () => {
    const it = built.get('cpu-inference');
    if (!it) throw new Error('the inference image was not built (its test failed first)');
    return it;
  };

  it('GPUCTL_AGENT=off runs the application alone', async () => {
    const { tag, layout } = image();
    const c = await startContainer(engine, tag, layout, { env: { GPUCTL_AGENT: 'off' } });
    await expect.poll(async () => (await get(`${c.app}/health`)).status, { timeout: 60_000, interval: 500 }).toBe(200);
    expect((await get(`${c.agent}/health`)).status).toBe(0);
    expect((await processes(engine, c.name)).map((p) => p.args).join('\n')).not.toContain('gpuctl agent');
  }, 120_000);

  it('the application exiting stops the container with its exit code', async () => {
    const { tag, layout } = image();
    const c = await startContainer(engine, tag, layout, { env: { APP_EXIT_CODE: '7' } });
    expect(await exitCode(engine, c.name, 60_000)).toBe(7);
  }, 120_000);

  it('the agent dying stops the application (SIGTERM from the start script: 143)', async () => {
    const { tag, layout } = image();
    const c = await startContainer(engine, tag, layout);
    await expect.poll(async () => (await get(`${c.agent}/health`)).status, { timeout: 60_000, interval: 500 }).toBe(200);
    const agent = (await processes(engine, c.name)).find((p) => p.args.includes('gpuctl agent'));
    expect(agent).toBeDefined();
    // podman top's pid is the container's own; kill inside the container (a constant script, the pid as $1).
    const kill = await podman(engine, ['exec', c.name, 'sh', '-c', 'kill -KILL "$1"', 'sh', agent!.pid]);
    expect(kill.exitCode, String(kill.stderr)).toBe(0);
    expect(await exitCode(engine, c.name, 60_000)).toBe(143);
    const logs = await podman(engine, ['logs', c.name]);
    expect(String(logs.stderr)).toContain('gpuctl-start: gpuctl agent exited (137); stopping the application');
  }, 120_000);

  it(
    ".dockerignore keeps .git, fly.toml, .env and the prometheus/ rules out of the image, and the app stage gpuctl's package",
    async () => {
      const { layout } = image();
      // A second build of the same layout with the files present: cached layers but for the context copy.
      mkdirSync(join(layout.dir, '.git'), { recursive: true });
      writeFileSync(join(layout.dir, '.git', 'config'), '[core]\n');
      writeFileSync(join(layout.dir, '.env'), 'FLY_API_TOKEN=FlyV1 fm2_not-a-real-token\n');
      const tag = `localhost/gpuctl-e2e-ignore:${RUN_ID}`;
      await buildImage(layout.dir, tag);
      tags.push(tag);
      const ls = await podman(engine, ['run', '--rm', '--label', `gpuctl-e2e=${RUN_ID}`, '--entrypoint', 'ls', tag, '-A', '/app']);
      const files = String(ls.stdout).split('\n').filter(Boolean);
      expect(files).toEqual(expect.arrayContaining(['app', 'requirements.txt', 'Dockerfile']));
      for (const secret of ['.git', 'fly.toml', '.env', '.gpuctl.json', 'prometheus']) expect(files).not.toContain(secret);
      // .gpuctl/gpuctl.tgz is in the build context for the gpuctl stage, not for /app (the app stage removes it).
      expect(files).not.toContain('.gpuctl');
    },
    BUILD_MS,
  );
});
