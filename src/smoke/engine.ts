/**
 * The container engine adapter: docker, else podman (or the one --engine names), run through ctx.exec
 * with an argument array and a timeout on every call. The argument builders are pure (tested as tables);
 * the two engines differ only where they must (the GPU flag: docker's --gpus, podman's CDI device).
 */
import type { Ctx } from '../context.js';
import { InterruptedError, MissingError, ToolError } from '../errors.js';
import { ENGINES, engineFile, engineInfo, type EngineName } from '../shared/container-engine.js';

export { ENGINES, type EngineName };

export interface EngineResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs: number;
  onLine?: (line: string) => void;
  /** Default: Ctrl-C's. Clean-up passes its own, so it runs after Ctrl-C. */
  signal?: AbortSignal;
  /** On Ctrl-C, end only what the engine runs below it (a build's RUN step) for up to this long, so it stops by itself. */
  abortGraceMs?: number;
}

/** Ctrl-C stopped the engine; `cleanedUp`: it stopped by itself within abortGraceMs (its own clean-up done), not ended. */
export class EngineInterrupted extends InterruptedError {
  constructor(readonly cleanedUp: boolean) {
    super();
  }
}

export interface Engine {
  name: EngineName;
  /** Runs the engine; a non-zero exit is a result, a missing binary, a timeout or Ctrl-C throws. */
  run(args: readonly string[], options: RunOptions): Promise<EngineResult>;
}

/**
 * The engine: --engine's, else the first of docker and podman whose `info` answers (docker's client
 * alone answers --version without a daemon). Exit 3 naming both, and what each said, when none works.
 */
export async function findEngine(ctx: Ctx, wanted: EngineName | undefined): Promise<Engine> {
  const said: string[] = [];
  for (const name of wanted ? [wanted] : ENGINES) {
    const probe = await engineInfo(ctx, name, 30_000, ctx.signal);
    if (probe.kind === 'interrupted') throw new InterruptedError();
    if (probe.kind === 'exited' && probe.exitCode === 0) return engineFor(ctx, name);
    const why = probe.kind === 'exited' ? (probe.stderr.trim().split('\n').at(-1) ?? `exit ${probe.exitCode}`) : probe.kind;
    said.push(probe.kind === 'not-found' ? `${name}: not installed` : `${name}: installed, but \`${name} info\` failed (${why})`);
  }
  // --engine named one: the other may well work, so the way out is to start this one or to leave the choice to smoke.
  if (wanted)
    throw new MissingError(`--engine ${wanted} does not work here: ${said.join('; ')}.`, wanted, {
      hint:
        wanted === 'docker'
          ? 'Start the Docker daemon (or install Docker: docs.docker.com/engine/install), or leave --engine out: smoke then uses podman if docker does not answer.'
          : 'Install Podman (apt-get install -y podman), or leave --engine out: smoke then uses docker when its daemon answers.',
    });
  throw new MissingError(`No working container engine: ${said.join('; ')}. smoke builds and runs the image with one.`, 'docker or podman', {
    hint: 'Install Docker (docs.docker.com/engine/install) and start its daemon, or install Podman (apt-get install -y podman); --engine picks one.',
  });
}

export function engineFor(ctx: Ctx, name: EngineName): Engine {
  return {
    name,
    async run(args, { timeoutMs, onLine, signal = ctx.signal, abortGraceMs }) {
      // BuildKit's plain progress (a line per step) where docker builds with it; the legacy builder ignores it.
      const env = name === 'docker' ? { BUILDKIT_PROGRESS: 'plain' } : {};
      const result = await ctx.exec({
        file: engineFile(ctx, name),
        args,
        timeoutMs,
        signal,
        env,
        ...(abortGraceMs !== undefined ? { abortGraceMs } : {}),
        ...(onLine ? { onLine: (line: string) => onLine(line) } : {}),
      });
      switch (result.kind) {
        case 'exited':
          return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
        case 'interrupted':
          throw new EngineInterrupted(result.exitedItself === true);
        case 'timeout':
          throw new ToolError(
            `\`${name} ${args[0] ?? ''}\` did not finish within ${Math.round(timeoutMs / 1000)} s.`,
            name,
            'tool_timeout',
          );
        case 'not-found':
          throw new MissingError(`${name} is no longer on PATH.`, name);
        case 'signaled':
          throw new ToolError(`\`${name} ${args[0] ?? ''}\` was killed by ${result.signal}.`, name, 'tool_failed');
        case 'spawn-failed':
          throw new ToolError(`Could not start ${name}: ${result.message}`, name, 'tool_failed');
      }
    },
  };
}

/** `build`: the layout's Dockerfile (DIR is absolute, never read as a flag), labelled for clean-up. Pure. */
export function buildArgs(o: { dir: string; tag: string; label: string; buildArgs: readonly string[] }): string[] {
  // --force-rm: intermediate containers go even when the build fails (podman keeps them otherwise), but not when
  // podman is ended by a signal: so smoke's Ctrl-C fails the build's RUN step instead (build.ts).
  return ['build', '--force-rm', '--label', o.label, '-t', o.tag, ...o.buildArgs.flatMap((a) => ['--build-arg', a]), o.dir];
}

export interface RunSpec {
  name: string;
  label: string;
  tag: string;
  ports: readonly number[];
  env: Readonly<Record<string, string>>;
  mounts: readonly string[];
  gpus: boolean;
  /** A process group's command, in place of the image's CMD (the ENTRYPOINT stays, as on Fly); none: the CMD. */
  cmd?: readonly string[] | null;
}

/** `run -d`: ports on 127.0.0.1 only (a free host port each), the environment, anonymous volumes, the GPU flag, the command. Pure. */
export function runArgs(engine: EngineName, spec: RunSpec): string[] {
  const gpu = !spec.gpus ? [] : engine === 'docker' ? ['--gpus', 'all'] : ['--device', 'nvidia.com/gpu=all'];
  return [
    'run',
    '--detach',
    `--name=${spec.name}`,
    '--label',
    spec.label,
    ...spec.ports.flatMap((p) => ['--publish', `127.0.0.1::${p}`]),
    ...Object.entries(spec.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    ...spec.mounts.flatMap((m) => ['--volume', m]),
    ...gpu,
    spec.tag,
    ...(spec.cmd ?? []),
  ];
}

/** podman's build containers, each with the second it was made: what a podman ended mid-build may have left. */
export const PS_BUILD_CONTAINERS = ['ps', '--all', '--external', '--format', '{{.ID}} {{.Command}} {{.Created.Unix}}'];

/** The IDs of the build containers (podman lists them as "buildah") that PS_BUILD_CONTAINERS says were made at or after `sinceS`. Pure. */
export function buildContainersSince(stdout: string, sinceS: number): string[] {
  return stdout.split('\n').flatMap((line) => {
    const m = /^([0-9a-f]{12,64}) buildah (\d+)$/.exec(line.trim());
    return m && Number(m[2]) >= sinceS ? [m[1]!] : [];
  });
}

/** The host port `port NAME PORT` prints ("127.0.0.1:49153"), or null. Pure. */
export function hostPort(stdout: string): number | null {
  const m = /^127\.0\.0\.1:(\d+)\s*$/m.exec(stdout);
  return m ? Number(m[1]) : null;
}

/**
 * `image inspect --format '{{.Size}} {{json .Config.Cmd}}'`: the size (null when unknown) and the CMD (none: []); null when the
 * output is not that (garbage from the engine is an error, not a crash). Pure.
 */
export function imageFacts(stdout: string): { sizeBytes: number | null; cmd: string[] } | null {
  if (stdout.trim() === '') return { sizeBytes: null, cmd: [] };
  const [size = '', ...rest] = stdout.trim().split(' ');
  let cmd: unknown;
  try {
    cmd = JSON.parse(rest.join(' ') || 'null');
  } catch {
    return null;
  }
  if (!/^\d+$/.test(size) || (cmd !== null && !(Array.isArray(cmd) && cmd.every((a) => typeof a === 'string')))) return null;
  return { sizeBytes: Number(size) || null, cmd: cmd ?? [] };
}
