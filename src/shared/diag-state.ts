/**
 * The diag state file's format, for diag (which merges into it, diag/state.ts) and the agent (which exports it,
 * agent/diag-state.ts): one parser for both.
 * `{"schemaVersion":1,"finishedAt":ISO,"level":"quick|medium|long","gpus":[{"index","uuid","verdict","finishedAt","level"}]}`:
 * the top-level finishedAt and level are the latest run's; each GPU entry carries the run that last checked that GPU.
 * An entry without its own finishedAt/level (a file from before the merge) takes the top-level ones.
 */
import { jsonLine } from '../ui/output.js';

export type DiagVerdict = 'pass' | 'warn' | 'fail';
export type DiagLevel = 'quick' | 'medium' | 'long';
export interface DiagGpuState {
  index: number;
  uuid: string;
  verdict: DiagVerdict;
  finishedAtMs: number;
  level: DiagLevel;
}
export interface DiagState {
  finishedAtMs: number;
  level: DiagLevel;
  gpus: DiagGpuState[];
}

const LEVELS = ['quick', 'medium', 'long'] as const;
const VERDICTS = ['pass', 'warn', 'fail'] as const;
const time = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : NaN);

/** Pure: the file's text as a DiagState, or why not. */
export function parseDiagState(text: string): { ok: true; state: DiagState } | { ok: false; reason: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (o.schemaVersion !== 1) return { ok: false, reason: `schemaVersion ${JSON.stringify(o.schemaVersion)}, not 1` };
  const finishedAtMs = time(o.finishedAt);
  if (!Number.isFinite(finishedAtMs)) return { ok: false, reason: 'finishedAt is not an ISO time' };
  if (!LEVELS.includes(o.level as never)) return { ok: false, reason: `level ${JSON.stringify(o.level)}` };
  const level = o.level as DiagLevel;
  if (!Array.isArray(o.gpus)) return { ok: false, reason: 'no gpus array' };
  const gpus: DiagGpuState[] = [];
  for (const g of o.gpus as unknown[]) {
    const r = (typeof g === 'object' && g !== null ? g : {}) as Record<string, unknown>;
    const at = r.finishedAt === undefined ? finishedAtMs : time(r.finishedAt);
    const gpuLevel = r.level === undefined ? level : r.level;
    if (
      !Number.isInteger(r.index) ||
      (r.index as number) < 0 ||
      typeof r.uuid !== 'string' ||
      !VERDICTS.includes(r.verdict as never) ||
      !Number.isFinite(at) ||
      !LEVELS.includes(gpuLevel as never)
    )
      return {
        ok: false,
        reason: `a GPU entry is not {index, uuid, verdict: pass|warn|fail, finishedAt?, level?}: ${JSON.stringify(g).slice(0, 80)}`,
      };
    gpus.push({
      index: r.index as number,
      uuid: r.uuid,
      verdict: r.verdict as DiagVerdict,
      finishedAtMs: at,
      level: gpuLevel as DiagLevel,
    });
  }
  return { ok: true, state: { finishedAtMs, level, gpus } };
}

/**
 * Pure: the state after a run. The run's GPUs take the run's verdict, time and level; every other GPU keeps its earlier
 * entry while this host still has a GPU at that index with the same UUID (a GPU gone, or another one in its slot, drops
 * its entry: its verdict would describe hardware that is not there). `host` is the GPUs nvidia-smi lists now.
 */
export function mergeDiagState(
  previous: DiagState | null,
  run: { finishedAtMs: number; level: DiagLevel; gpus: ReadonlyArray<{ index: number; uuid: string; verdict: DiagVerdict }> },
  host: ReadonlyArray<{ index: number; uuid: string | null }>,
): DiagState {
  const fresh = run.gpus.map((g) => ({
    index: g.index,
    uuid: g.uuid,
    verdict: g.verdict,
    finishedAtMs: run.finishedAtMs,
    level: run.level,
  }));
  const kept = (previous?.gpus ?? []).filter(
    (old) =>
      !fresh.some((g) => g.index === old.index) &&
      host.some((h) => h.index === old.index && (h.uuid === null || old.uuid === '' || h.uuid === old.uuid)),
  );
  return { finishedAtMs: run.finishedAtMs, level: run.level, gpus: [...fresh, ...kept].sort((a, b) => a.index - b.index) };
}

/** The file's text for a state. */
export function diagStateJson(state: DiagState): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  const gpus = state.gpus.map((g) => ({
    index: g.index,
    uuid: g.uuid,
    verdict: g.verdict,
    finishedAt: iso(g.finishedAtMs),
    level: g.level,
  }));
  return jsonLine({ schemaVersion: 1, finishedAt: iso(state.finishedAtMs), level: state.level, gpus });
}
