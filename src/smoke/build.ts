/**
 * The image build: `<engine> build` of DIR's Dockerfile with the --build-args, its output streamed as
 * phases (the engine's "STEP 3/12: RUN …", docker's "Step 3/12 : …" or BuildKit's "#5 [build 2/6] …") to
 * the command's events, and kept whole in a log file under ${XDG_STATE_HOME:-~/.local/state}/gpuctl/logs.
 */
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Ctx, Env } from '../context.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { makeDirs } from '../shared/make-dirs.js';
import { failureOf, ok, outputOf, type Engine } from './engine.js';

export const BUILD_TIMEOUT_MS = 30 * 60_000;

/** The phase a build output line starts, as "3/12 RUN apt-get …"; null for any other line. */
export function phaseOf(line: string): string | null {
  const step = /^(?:\[\d+\/\d+\] )?STEP (\d+\/\d+): (.*)$/.exec(line) ?? /^Step (\d+\/\d+) : (.*)$/.exec(line);
  if (step) return `${step[1]} ${step[2]!.trim()}`.slice(0, 100);
  const kit = /^#\d+ \[([\w.-]+ )?(\d+\/\d+)\] (.*)$/.exec(line);
  if (kit) return `${kit[1] ?? ''}${kit[2]} ${kit[3]!.trim()}`.slice(0, 100);
  return null;
}

export function smokeLogPath(env: Env, app: string, at: Date): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'gpuctl', 'logs', `smoke-${app.replace(/[^\w.-]/g, '_')}-${at.toISOString().replace(/[:.]/g, '-')}.log`);
}

export type BuildOutcome = { ok: true; seconds: number; sizeBytes: number | null } | { ok: false; seconds: number; reason: string };

export async function buildImage(
  ctx: Ctx,
  engine: Engine,
  build: { dir: string; tag: string; label: string; buildArgs: readonly string[]; logPath: string },
  onPhase: (phase: string) => void,
): Promise<BuildOutcome> {
  const lines: string[] = [];
  const started = performance.now();
  const args = [
    'build',
    '--label',
    build.label,
    ...build.buildArgs.flatMap((a) => ['--build-arg', a]),
    '-t',
    build.tag,
    '-f',
    join(build.dir, 'Dockerfile'),
    build.dir,
  ];
  const result = await engine.run(args, BUILD_TIMEOUT_MS, {
    signal: ctx.signal,
    onLine: (line) => {
      lines.push(line);
      const phase = phaseOf(line);
      if (phase) onPhase(phase);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  try {
    makeDirs(dirname(build.logPath));
    writeFileAtomic(build.logPath, ctx.redact(`$ ${engine.name} ${args.join(' ')}\n${lines.join('\n') || outputOf(result)}\n`), 0o600);
  } catch {
    ctx.log.warn(`Could not write the build log to ${build.logPath}.`);
  }
  if (!ok(result)) return { ok: false, seconds, reason: `${failureOf(`${engine.name} build`, result)} (full log: ${build.logPath})` };
  const size = await engine.run(['image', 'inspect', '--format', '{{.Size}}', build.tag], 30_000);
  const bytes = ok(size) ? Number(size.stdout.trim()) : Number.NaN;
  return { ok: true, seconds, sizeBytes: Number.isFinite(bytes) ? bytes : null };
}
