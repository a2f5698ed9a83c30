/**
 * nvidia-smi, pure half: the one query gpuctl makes, and the parser of its answer.
 * `--format=csv,noheader,nounits` prints one line per physical GPU, fields separated by ", ";
 * nvidia-smi never quotes, and no queried field can contain a comma. Unavailable values print
 * as "[N/A]", "[Not Supported]", "[Unknown Error]", "[Insufficient Permissions]" or
 * "[Requested functionality has been deprecated]": those parse as null.
 */
import { printableLine, smiValue } from './smi-text.js';

export const QUERY_FIELDS = [
  'index',
  'name',
  'uuid',
  'pci.bus_id',
  'memory.total',
  'memory.used',
  'compute_cap',
  'driver_version',
  'power.limit',
  'clocks.max.sm',
  'clocks.max.mem',
  'mig.mode.current',
  'ecc.mode.current',
  'persistence_mode',
] as const;
export type QueryField = (typeof QUERY_FIELDS)[number];

/**
 * The one argument builder for nvidia-smi's CSV queries: `--query-gpu` (default) or
 * `--query-compute-apps`, without header or units; with intervalMs, the streaming form (`-lms N`).
 */
export function queryArgs(
  fields: readonly string[] = QUERY_FIELDS,
  options: { target?: 'gpu' | 'compute-apps'; intervalMs?: number } = {},
): string[] {
  const args = [`--query-${options.target ?? 'gpu'}=${fields.join(',')}`, '--format=csv,noheader,nounits'];
  return options.intervalMs === undefined ? args : [...args, '-lms', String(options.intervalMs)];
}

export interface SmiGpu {
  index: number;
  name: string;
  uuid: string | null;
  pciBusId: string | null;
  memoryMiB: number | null;
  memoryUsedMiB: number | null;
  computeCapability: string | null;
  driverVersion: string | null;
  powerLimitW: number | null;
  maxSmClockMHz: number | null;
  maxMemClockMHz: number | null;
  migMode: 'Enabled' | 'Disabled' | null;
  eccMode: 'Enabled' | 'Disabled' | null;
  persistenceMode: 'Enabled' | 'Disabled' | null;
}

export type ParseResult = { ok: true; gpus: SmiGpu[] } | { ok: false; reason: string };

const value = smiValue;

function number(raw: string | undefined): number | null {
  const v = value(raw);
  if (v === null) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : Number.NaN;
}

function mode(raw: string | undefined): 'Enabled' | 'Disabled' | null {
  const v = value(raw);
  return v === 'Enabled' || v === 'Disabled' ? v : null;
}

/** Parses the answer to queryArgs(fields). Anything that does not fit is a reason, never a wrong GPU. */
export function parseQuery(stdout: string, fields: readonly string[] = QUERY_FIELDS): ParseResult {
  const lines = stdout.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) return { ok: false, reason: 'it printed nothing' };
  const gpus: SmiGpu[] = [];
  for (const [lineNo, line] of lines.entries()) {
    const cells = line.split(',');
    if (cells.length !== fields.length) {
      return {
        ok: false,
        reason: `line ${lineNo + 1} has ${cells.length} fields where ${fields.length} were asked for: "${printableLine(line)}"`,
      };
    }
    const get = (field: QueryField) => (fields.includes(field) ? cells[fields.indexOf(field)] : undefined);
    const index = number(get('index'));
    const name = value(get('name'));
    const numbers = {
      memoryMiB: number(get('memory.total')),
      memoryUsedMiB: number(get('memory.used')),
      powerLimitW: number(get('power.limit')),
      maxSmClockMHz: number(get('clocks.max.sm')),
      maxMemClockMHz: number(get('clocks.max.mem')),
    };
    const bad = Object.entries(numbers).find(([, n]) => Number.isNaN(n));
    const cc = value(get('compute_cap'));
    if (
      index === null ||
      Number.isNaN(index) ||
      !Number.isInteger(index) ||
      name === null ||
      bad ||
      (cc !== null && !/^\d+\.\d+$/.test(cc))
    ) {
      return { ok: false, reason: `line ${lineNo + 1} is not a GPU record: "${printableLine(line)}"` };
    }
    gpus.push({
      index,
      name,
      uuid: value(get('uuid')),
      pciBusId: value(get('pci.bus_id')),
      ...numbers,
      computeCapability: cc,
      driverVersion: value(get('driver_version')),
      migMode: mode(get('mig.mode.current')),
      eccMode: mode(get('ecc.mode.current')),
      persistenceMode: mode(get('persistence_mode')),
    });
  }
  return { ok: true, gpus };
}

/** Old drivers reject fields they do not know: `Field "compute_cap" is not a valid field to query.` */
export function invalidField(output: string): string | undefined {
  return /Field "([^"]+)" is not a valid field to query/.exec(output)?.[1];
}

/**
 * The one "drop the unknown field and ask again" rule (one-shot queries and the agent's stream): the
 * fields without the one the driver rejected, or undefined when it is not an optional field asked for.
 */
export function dropField(unknown: string | undefined, fields: readonly string[], required: readonly string[]): string[] | undefined {
  return unknown !== undefined && fields.includes(unknown) && !required.includes(unknown) ? fields.filter((f) => f !== unknown) : undefined;
}

/** Fields querySmi cannot do without. */
export const QUERY_REQUIRED: readonly string[] = ['index', 'name'];
