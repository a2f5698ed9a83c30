/** Starts the built `gpuctl agent` on a free loopback port against the fake nvidia-smi; stops it after each test. */
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakePath, ROOT, tempHome } from '../helpers/cli.js';
import { listeningUrl } from '../helpers/listening.js';
import { parseMetrics, type PromFamily } from '../helpers/prometheus.js';

export interface RunningAgent {
  url: string;
  child: ResultPromise;
  dir: string;
  stderr(): string;
  get(path: string): Promise<{ status: number; body: string }>;
  gpuHealth(): Promise<{
    status: number;
    body: {
      status: string;
      mode: string;
      gpus: number;
      samplerRestarts: number;
      lastSampleAgeSeconds: number | null;
      failures: Array<{ condition: string; gpu?: number; message: string }>;
    };
  }>;
  metrics(): Promise<Map<string, PromFamily>>;
  stop(): Promise<void>;
}

const running = new Set<RunningAgent>();

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((a) => a.stop()));
}

/** `script`: the fake's loop steps (written to a file); `tools`: [] for a machine without nvidia-smi. */
export async function startAgent(
  options: { args?: string[]; env?: Record<string, string>; script?: unknown[]; tools?: string[]; fixture?: string } = {},
): Promise<RunningAgent> {
  const home = tempHome();
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-agent-'));
  const env: Record<string, string> = {
    PATH: fakePath(options.tools ?? ['nvidia-smi']),
    HOME: home,
    NO_COLOR: '1',
    FAKE_NVIDIA_SMI_FIXTURE: options.fixture ?? 'public/gls__H100SXMx8.nvidia-smi-q.txt',
    FAKE_NVIDIA_SMI_PIDFILE: join(dir, 'smi.pids'),
    FAKE_NVIDIA_SMI_STATE: join(dir, 'smi.state'),
    ...options.env,
  };
  if (options.script) {
    writeFileSync(join(dir, 'script.json'), JSON.stringify(options.script));
    env.FAKE_NVIDIA_SMI_SCRIPT = join(dir, 'script.json');
  }
  const child = execa(
    process.execPath,
    [join(ROOT, 'bin/gpuctl.js'), 'agent', '--listen', '127.0.0.1:0', '--interval', '200ms', ...(options.args ?? [])],
    {
      reject: false,
      extendEnv: false,
      cwd: home,
      env,
      timeout: 60_000,
    },
  );
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => void (err += chunk.toString()));
  const url = await listeningUrl(child, 'the agent');
  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    return { status: res.status, body: await res.text() };
  };
  const agent: RunningAgent = {
    url,
    child,
    dir,
    stderr: () => err,
    get,
    gpuHealth: async () => {
      const r = await get('/gpu-health');
      return { status: r.status, body: JSON.parse(r.body) as Awaited<ReturnType<RunningAgent['gpuHealth']>>['body'] };
    },
    metrics: async () => parseMetrics((await get('/metrics')).body),
    stop: async () => {
      running.delete(agent);
      child.kill('SIGTERM');
      await child;
    },
  };
  running.add(agent);
  return agent;
}

/** Running (a zombie waiting for init to reap it counts as gone: /proc/<pid>/stat's third field is Z). */
export const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    return false;
  }
};
