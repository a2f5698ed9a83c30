/**
 * The /gpu-health body, read defensively. The agent (`gpuctl agent`, src/agent) answers 200 or 503
 * with `{"status": "ok"|"failing", "mode", "gpus", "failures": [{"condition", "gpu"?, "message"}]}`;
 * other servers (an application's own endpoint) are read as far as their shape allows:
 * `failures`/`errors` as strings or objects, `conditions`/`checks` as a list or a map whose entries
 * say ok/healthy/passed/status. Anything else yields no conditions, never an error. Pure.
 */
export interface FailedCondition {
  /** The condition's name (the agent's `condition`, else name/id/check); null when the body gives none. */
  name: string | null;
  /** The GPU it concerns, when named. */
  gpu: number | null;
  message: string;
}

export interface GpuHealthBody {
  /** The body's own status word ("ok", "failing", …), when it has one. */
  status: string | null;
  /** "gpu" or "cpu fallback" from the agent. */
  mode: string | null;
  failed: FailedCondition[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);
const firstText = (o: Obj, keys: readonly string[]): string | null => keys.map((k) => text(o[k])).find((v) => v !== null) ?? null;

const NAME_KEYS = ['condition', 'name', 'id', 'check', 'type'] as const;
const MESSAGE_KEYS = ['message', 'detail', 'reason', 'error', 'output', 'msg'] as const;
const BAD_WORDS = /^(fail(ed|ing|ure)?|error|unhealthy|critical|down|bad|false)$/i;

function failed(entry: unknown, name: string | null): FailedCondition | null {
  if (typeof entry === 'string') return { name, gpu: null, message: entry };
  if (entry === false) return { name, gpu: null, message: name ? `${name} failed` : 'failed' };
  if (!isObj(entry)) return null;
  const verdict = [entry.ok, entry.healthy, entry.passed, entry.passing].find((v) => typeof v === 'boolean');
  const word = text(entry.status) ?? text(entry.state);
  const isFailure = verdict === false || (verdict === undefined && word !== null && BAD_WORDS.test(word));
  return isFailure ? describe(entry, name) : null;
}

function describe(entry: Obj, name: string | null): FailedCondition {
  const own = firstText(entry, NAME_KEYS) ?? name;
  const gpu = typeof entry.gpu === 'number' ? entry.gpu : typeof entry.index === 'number' ? entry.index : null;
  return { name: own, gpu, message: firstText(entry, MESSAGE_KEYS) ?? (own ? `${own} failed` : JSON.stringify(entry)) };
}

/** Entries of a failures list: every one is a failure (strings, or objects with a name and a message). */
function listed(list: unknown[]): FailedCondition[] {
  return list.flatMap((e) => (typeof e === 'string' ? [{ name: null, gpu: null, message: e }] : isObj(e) ? [describe(e, null)] : []));
}

/** Entries of a conditions list or map: only those that say they failed. */
function judged(value: unknown): FailedCondition[] {
  if (Array.isArray(value)) return value.flatMap((e) => failed(e, null) ?? []);
  if (isObj(value)) return Object.entries(value).flatMap(([k, v]) => failed(v, k) ?? []);
  return [];
}

export function readGpuHealthBody(body: string): GpuHealthBody | null {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return null;
  }
  if (!isObj(doc)) return null;
  const out: FailedCondition[] = [];
  for (const key of ['failures', 'errors', 'failed']) if (Array.isArray(doc[key])) out.push(...listed(doc[key] as unknown[]));
  for (const key of ['conditions', 'checks']) out.push(...judged(doc[key]));
  return { status: text(doc.status), mode: text(doc.mode), failed: out };
}

export function conditionLine(c: FailedCondition): string {
  return c.name ? `${c.name}: ${c.message}` : c.message;
}
