/** Reads a previous `gpuctl bench --json` report as a baseline, checking what the gate relies on. */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Comparable, ComparableResult } from './baseline.js';
import { BENCH_SCHEMA_VERSION } from './report.js';
import { describeErrno } from '../shared/make-dirs.js';
import { NotRegularFileError, readRegularFile } from '../shared/regular-file.js';

const SMALLEST_NORMAL = 2.2250738585072014e-308;
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

function result(value: unknown, index: number): ComparableResult {
  const ok =
    isObject(value) &&
    typeof value.suite === 'string' &&
    typeof value.name === 'string' &&
    typeof value.unit === 'string' &&
    typeof value.value === 'number' &&
    typeof value.medianMs === 'number' &&
    isNumbers(value.samplesMs);
  if (!ok) throw new Error(`results[${index}] lacks suite, name, unit, value, medianMs or samplesMs`);
  for (const key of ['value', 'medianMs'] as const) {
    const figure = value[key] as number;
    // 1e-308 would make every delta +Infinity%; a figure is a positive, finite, normal number or nothing.
    if (!(Number.isFinite(figure) && figure >= SMALLEST_NORMAL)) throw new Error(`results[${index}].${key} is ${figure}, not a positive finite number`);
  }
  if ((value.samplesMs as number[]).some((x) => x < 0)) throw new Error(`results[${index}].samplesMs holds a negative time`);
  const size: Record<string, number> = {};
  if (isObject(value.size)) for (const [k, v] of Object.entries(value.size)) if (typeof v === 'number') size[k] = v;
  return { suite: value.suite as string, name: value.name as string, unit: value.unit as string, value: value.value as number, medianMs: value.medianMs as number, samplesMs: value.samplesMs as number[], size };
}

/** Parses the text of a baseline report; throws a plain Error with the reason. */
export function parseBaseline(text: string): Comparable {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error('it is not JSON');
  }
  if (!isObject(data) || !Array.isArray(data.results)) throw new Error('it has no "results" list (is it the output of `gpuctl bench --json`?)');
  if (data.schemaVersion !== BENCH_SCHEMA_VERSION) throw new Error(`its schemaVersion is ${JSON.stringify(data.schemaVersion)}; this gpuctl reads ${BENCH_SCHEMA_VERSION}`);
  const mode = data.mode === 'cpu' ? 'cpu' : 'gpu';
  const device = isObject(data.device) && typeof data.device.name === 'string' ? { name: data.device.name } : null;
  return { mode, device, results: data.results.map(result) };
}

export async function readBaseline(path: string, cwd: string): Promise<Comparable> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = await readRegularFile(full, 'utf8');
  } catch (error) {
    if (error instanceof NotRegularFileError) throw error;
    throw new UsageError(`Cannot read the baseline ${path}: ${describeErrno(error)}.`, {
      hint: 'Create one with `gpuctl bench --json --out baseline.json` on the reference commit.',
    });
  }
  try {
    return parseBaseline(text);
  } catch (error) {
    throw new UsageError(`The baseline ${path} cannot be used: ${(error as Error).message}.`);
  }
}
