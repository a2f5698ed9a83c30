// The transcripts of docs/ and README.md that scripts/docs-transcripts.mjs re-runs, as the pages tell them: each
// scenario is one fresh directory (`dir`), PATH holding node and the named fakes of test/bin (`tools`), `env` for the
// fakes, `aliases` mapping this run's paths to the ones the page shows, `normalise` for what is the moment's (a
// load test's figures, a sample's age), applied to both the page and the output. Steps: see run.mjs.
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flyState } from '../../test/fakes/flyctl/seed.mjs';

export function replaceIn(file, from, to) {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not hold ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

/** What `gpuctl agent` answers on /gpu-health on a machine without a GPU (src/agent/server.ts). */
const AGENT_CPU_BODY = `${JSON.stringify({ status: 'ok', mode: 'cpu fallback', gpus: 0, lastSampleAgeSeconds: null, samplerRestarts: 0, failures: [] })}\n`;

/** The fly.toml of the fake flyctl's examples (test/e2e/fly-world.ts reads the same file). */
const FLY_TOML = readFileSync(new URL('../../test/fixtures/flyctl/quant-signals.fly.toml', import.meta.url), 'utf8');

/** The bench fakes' set-up (test/e2e/bench-helpers.ts): the fixture native/, no prebuilt program, an H100's capture. */
const BENCH_ENV = ({ root, home }) => ({
  GPUCTL_NATIVE_DIR: join(root, 'test/fixtures/bench/native'),
  GPUCTL_BENCH_PREBUILT: join(home, 'no-prebuilt/gpuctl-bench'),
  FAKE_NVIDIA_SMI_FIXTURE: 'public/split/nvidia-h100-80gb-hbm3__590.48.01/load.query-gpu.csv',
});

/** The proxy's autostop, as the fake leaves a machine it stopped: the app's nth machine (creation order) stopped. */
function stopNth(state, n) {
  const fly = flyState(state);
  fly.stopMachine('quant-signals', fly.machines('quant-signals')[n].id);
}

const APP_FILES = { 'requirements.txt': '', 'app.py': 'print("serving")\n' };

export const SCENARIOS = [
  {
    doc: 'docs/init-validate.md',
    dir: 'quant-signals',
    steps: [
      { run: 'init --yes --workload batch --vm-size performance-4x' },
      { edit: APP_FILES },
      { run: 'validate' },
      { run: 'init --yes', nth: 0 },
      { edit: (dir) => replaceIn(join(dir, 'fly.toml'), "memory = '8gb'", "memory = '12gb' # tokenizer cache") },
      { run: 'init --yes', nth: 1 },
      { run: 'init --yes --dry-run' },
      { run: 'init --yes --gpu-kind l40s --workload inference --dir ../gpu-layout' },
    ],
  },
  {
    // validate from the parent directory, as the page runs it after init --dir gpu-layout; and a blog post's fly.toml.
    doc: 'docs/init-validate.md',
    dir: 'work',
    steps: [
      { run: 'init --yes --gpu-kind l40s --workload inference --dir gpu-layout', hidden: true },
      { edit: { 'gpu-layout/requirements.txt': '', 'gpu-layout/app.py': '' } },
      { run: 'validate -c gpu-layout/fly.toml' },
      {
        edit: (dir, { root }) => {
          mkdirSync(join(dir, 'blog'));
          copyFileSync(join(root, 'test/fixtures/validate/real-world/12-blog-gpu-everything-wrong.fly.toml'), join(dir, 'blog/fly.toml'));
        },
      },
      { run: 'validate -c blog/fly.toml' },
    ],
  },
  {
    doc: 'docs/ci.md',
    dir: 'app',
    steps: [
      { run: 'init --yes --app quant-signals --workload inference --vm-size performance-8x', hidden: true },
      { edit: APP_FILES },
      { run: 'validate --format github', nth: 0 },
      {
        edit: (dir) => {
          replaceIn(join(dir, 'fly.toml'), 'kill_timeout = ', 'kill_timeout = 600 # was ');
          replaceIn(join(dir, 'fly.toml'), "size = 'performance-8x'", "size = 'performance-8x'\n  gpu_kind = 'a100-80gb'");
        },
      },
      { run: 'validate --format github', nth: 1 },
    ],
  },
  {
    doc: 'docs/agent.md',
    dir: 'agent',
    tools: ['nvidia-smi'],
    env: ({ base }) => {
      // Eight H100s, GPU 1 at 95 °C.
      writeFileSync(join(base, 'script.json'), JSON.stringify([{ 'temperature.gpu': ['40', '95', '41', '40', '42', '40', '41', '40'] }]));
      return { FAKE_NVIDIA_SMI_FIXTURE: 'public/gls__H100SXMx8.nvidia-smi-q.txt', FAKE_NVIDIA_SMI_SCRIPT: join(base, 'script.json') };
    },
    // The sample's age is the moment's.
    normalise: (text) => text.replace(/"lastSampleAgeSeconds":[\d.]+/g, '"lastSampleAgeSeconds":<n>'),
    steps: [
      {
        agent: {
          run: 'agent --listen 127.0.0.1:9400 --interval 1s',
          port: 9400,
          fetch: '/gpu-health',
          shown: 'curl -s localhost:9400/gpu-health',
        },
      },
    ],
  },
  {
    // A loopback server that answers after 20 ms: p95 misses a 10 ms gate on any machine, 100 requests/s pass 10 even on a loaded machine; it runs after the others.
    doc: 'docs/loadtest.md',
    dir: 'loadtest',
    alone: true,
    normalise: (text) =>
      text
        .split('\n')
        .map((line) => (/^(\$ |GET )/.test(line) ? line : line.replace(/(\(limit [^)]*\))|\d+(?:\.\d+)?/g, (m, limit) => limit ?? '<n>')))
        .join('\n'),
    steps: [
      { serve: { port: 18932, delayMs: 20, routes: { '/health': [200, '{"status":"ok"}'] } } },
      { run: 'loadtest http://127.0.0.1:18932/health --duration 2s --rate 100 --max-p95 10ms --min-rps 10' },
    ],
  },
  {
    // CI on main: the fake flyctl (test/fakes/flyctl) with an app created and no release yet; the runner's paths shown.
    doc: 'docs/ci.md',
    dir: 'app',
    tools: ['flyctl'],
    env: ({ base }) => ({ FAKE_FLYCTL_STATE: join(base, 'fly-state'), FLY_API_TOKEN: 'fo1_transcripts-not-a-token' }),
    aliases: ({ cwd, home }) => [
      [cwd, '/home/runner/work/app/app'],
      [home, '/home/runner'],
    ],
    steps: [
      { run: 'init --yes --app quant-signals --workload inference --vm-size performance-8x', hidden: true },
      { edit: APP_FILES },
      { tool: ['flyctl', 'apps', 'create', 'quant-signals', '--org', 'personal'] },
      { run: 'deploy --rollback --wait-timeout 10m' },
      { serve: { port: 18080, routes: { '/health': [200, '{"status":"ok","model":"loaded"}'], '/gpu-health': [200, AGENT_CPU_BODY] } } },
      { run: 'health --url http://127.0.0.1:18080' },
    ],
  },
  {
    // docs/fly-operations.md, in the order the app lived it: created, deployed again, scaled, then an unhealthy deploy.
    doc: 'docs/fly-operations.md',
    dir: 'quant-signals',
    tools: ['flyctl'],
    env: ({ base }) => ({ FAKE_FLYCTL_STATE: join(base, 'fly-state'), FLY_API_TOKEN: 'fo1_transcripts-not-a-token' }),
    aliases: ({ home }) => [[home, '/tmp/doc/home']],
    steps: [
      { edit: { 'fly.toml': FLY_TOML, Dockerfile: 'FROM python:3.12-slim\nCMD ["python", "-m", "http.server", "8080"]\n' } },
      { run: 'deploy --create --org personal' },
      { run: 'deploy', nth: 0, also: ['README.md'] },
      { run: 'deploy --dry-run --rollback' },
      { edit: { 'fly.toml': FLY_TOML.replace('size = "performance-2x"', 'size = "a100-40gb"') } },
      { run: 'deploy', nth: 1 },
      { edit: { 'fly.toml': FLY_TOML } },
      { run: 'status', also: ['README.md'] },
      { serve: { port: 18080, routes: { '/health': [200, '{"status":"ok","model":"loaded"}'] } } },
      { run: 'health --url http://127.0.0.1:18080', also: ['README.md'] },
      { run: 'scale count 4 --region ord,iad --max-per-region 2 --yes' },
      { run: 'scale show' },
      { run: 'scale vm a100-40gb' },
      { run: 'deploy --rollback --wait-timeout 20s', env: { FAKE_FLYCTL_FAULT: 'unhealthy' } },
    ],
  },
  {
    // docs/fly-operations.md, autostop: the proxy stops idle machines of an app whose [http_service] autostops (here as
    // the fake's stopMachine leaves them), down to min_machines_running in the primary region.
    doc: 'docs/fly-operations.md',
    dir: 'quant-signals',
    tools: ['flyctl'],
    env: ({ base }) => ({ FAKE_FLYCTL_STATE: join(base, 'fly-state'), FLY_API_TOKEN: 'fo1_transcripts-not-a-token' }),
    aliases: ({ home }) => [[home, '/tmp/doc/home']],
    steps: [
      {
        edit: {
          'fly.toml': FLY_TOML.replace(
            '  force_https = true\n',
            '  force_https = true\n  auto_stop_machines = "stop"\n  auto_start_machines = true\n  min_machines_running = 1\n',
          ),
          Dockerfile: 'FROM python:3.12-slim\nCMD ["python", "-m", "http.server", "8080"]\n',
        },
      },
      { tool: ['flyctl', 'apps', 'create', 'quant-signals', '--org', 'personal'] },
      { tool: ['flyctl', 'deploy', '--yes'] },
      { edit: (_dir, { base }) => stopNth(join(base, 'fly-state'), 0) },
      { run: 'health --no-probe', nth: 0 },
      { run: 'health --no-probe --require-started' },
      { edit: (_dir, { base }) => stopNth(join(base, 'fly-state'), 1) },
      { run: 'health --no-probe', nth: 1 },
    ],
  },
  {
    // CI's bench steps with the fake nvcc, nvidia-smi (an H100's capture) and benchmark program (test/fakes): made-up figures.
    doc: 'docs/ci.md',
    dir: 'app',
    tools: ['nvcc', 'nvidia-smi', 'c++'],
    host: ['make'],
    env: BENCH_ENV,
    aliases: ({ cwd, home }) => [
      [cwd, '/home/runner/work/app/app'],
      [home, '/home/runner'],
    ],
    steps: [
      { run: 'bench --quick --out bench.json' },
      // The pull request's job: main's bench.json downloaded into baseline/, no bench.json of its own yet.
      { edit: (dir) => (mkdirSync(join(dir, 'baseline')), renameSync(join(dir, 'bench.json'), join(dir, 'baseline/bench.json'))) },
      { run: 'bench --quick --baseline baseline/bench.json --max-regression 10 --out bench.json' },
    ],
  },
  {
    doc: 'docs/bench.md',
    dir: 'bench',
    tools: ['nvcc', 'nvidia-smi', 'c++'],
    host: ['make'],
    env: BENCH_ENV,
    aliases: ({ home }) => [[home, '~']],
    steps: [{ run: 'bench --suite memory,finance' }],
  },
  {
    // diag on a machine without a GPU: no nvidia-smi on PATH.
    doc: 'docs/diag.md',
    dir: 'diag',
    steps: [{ run: 'diag' }],
  },
];
