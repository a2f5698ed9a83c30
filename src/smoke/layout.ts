/**
 * What smoke needs from the layout `gpuctl init` wrote in DIR: fly.toml's ports, stop signal and
 * kill_timeout and its [env] (compose.yaml's environment over it for a local-GPU layout, as compose
 * runs it), and from the Dockerfile whether it is a GPU layout and which user the application runs as.
 * The reading is pure (texts in, facts out); readLayout reads the files.
 */
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';
import { readRegularFile } from '../shared/regular-file.js';

export interface Layout {
  dir: string;
  app: string;
  port: number;
  metricsPort: number;
  killSignal: string;
  killTimeoutS: number;
  env: Record<string, string>;
  gpu: boolean;
  /** USER, else GPUCTL_RUN_AS (the start script drops to it); '' when neither. */
  user: string;
}

/** Fly's defaults: kill_signal SIGINT, kill_timeout 5 s. */
const FLY_DEFAULTS = { killSignal: 'SIGINT', killTimeoutS: 5 };

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const strings = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(record(value)).map(([k, v]) => [k, String(v)]));

export function layoutOf(dir: string, texts: { flyToml: string; dockerfile: string; compose?: string | undefined }): Layout {
  let fly: Record<string, unknown>;
  try {
    fly = parseToml(texts.flyToml);
  } catch (error) {
    throw new UsageError(`${join(dir, 'fly.toml')} is not valid TOML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const port = Number(record(fly.http_service).internal_port);
  const metricsPort = Number(record(fly.metrics).port);
  if (!Number.isInteger(port) || port <= 0)
    throw new UsageError(`${join(dir, 'fly.toml')} has no [http_service] internal_port.`, { hint: 'Run gpuctl init in that directory.' });
  let env = strings(fly.env);
  if (texts.compose !== undefined) {
    const app = record(record(record(parseYaml(texts.compose)).services).app);
    env = { ...env, ...strings(app.environment) };
  }
  const killTimeout = Number(fly.kill_timeout);
  const lines = texts.dockerfile.split('\n');
  const gpu = lines.some((l) => /^FROM\s+(--\S+\s+)*nvidia\/cuda:/i.test(l.trim())) || env.GPUCTL_DEVICE === 'cuda';
  const user =
    lines
      .map((l) => /^USER\s+(\S+)/i.exec(l.trim())?.[1])
      .filter(Boolean)
      .at(-1) ??
    /GPUCTL_RUN_AS=(\w[\w.-]*)/.exec(texts.dockerfile)?.[1] ??
    '';
  return {
    dir,
    app: typeof fly.app === 'string' ? fly.app : 'app',
    port,
    metricsPort: Number.isInteger(metricsPort) && metricsPort > 0 ? metricsPort : 9400,
    killSignal: typeof fly.kill_signal === 'string' ? fly.kill_signal.toUpperCase() : FLY_DEFAULTS.killSignal,
    killTimeoutS: Number.isFinite(killTimeout) && killTimeout > 0 ? killTimeout : FLY_DEFAULTS.killTimeoutS,
    env,
    gpu,
    user: user.split(':')[0]!,
  };
}

async function read(path: string, required: boolean): Promise<string | undefined> {
  try {
    return await readRegularFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(`${path} not found.`, {
        hint: 'gpuctl smoke checks the layout `gpuctl init` writes: run it there first, or pass --dir.',
      });
    throw error;
  }
}

export async function readLayout(dir: string): Promise<Layout> {
  const [flyToml, dockerfile, compose] = await Promise.all([
    read(join(dir, 'fly.toml'), true),
    read(join(dir, 'Dockerfile'), true),
    read(join(dir, 'compose.yaml'), false),
  ]);
  return layoutOf(dir, { flyToml: flyToml!, dockerfile: dockerfile!, compose });
}

/** Signal numbers on Linux, for the exit status 128+N. */
export const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15 };
