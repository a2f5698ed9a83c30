/**
 * What the agent reads from nvidia-smi, and the pure parser of one CSV line into a GpuSample.
 * `--format=csv,noheader,nounits` prints one line per GPU per loop, fields separated by ", ";
 * "[N/A]", "[Not Supported]" and the like read as null. Throttle reasons print "Active"/"Not Active",
 * pending page retirement "Yes"/"No", the active-reasons bitmask as hex ("0x0000000000000004").
 */

/** Field names as `nvidia-smi --help-query-gpu` spells them (the throttle aliases old drivers also know). */
export const SAMPLE_FIELDS = [
  'index',
  'uuid',
  'name',
  'pci.bus_id',
  'utilization.gpu',
  'utilization.memory',
  'utilization.encoder',
  'utilization.decoder',
  'memory.total',
  'memory.used',
  'memory.free',
  'temperature.gpu',
  'temperature.memory',
  'power.draw',
  'power.limit',
  'clocks.sm',
  'clocks.mem',
  'clocks.max.sm',
  'pstate',
  'clocks_throttle_reasons.active',
  'clocks_throttle_reasons.hw_thermal_slowdown',
  'clocks_throttle_reasons.sw_thermal_slowdown',
  'clocks_throttle_reasons.hw_power_brake_slowdown',
  'clocks_throttle_reasons.sw_power_cap',
  'ecc.errors.corrected.volatile.total',
  'ecc.errors.uncorrected.volatile.total',
  'retired_pages.sbe',
  'retired_pages.dbe',
  'retired_pages.pending',
  'remapped_rows.correctable',
  'remapped_rows.uncorrectable',
  'remapped_rows.pending',
  'remapped_rows.failure',
  'pcie.link.gen.gpucurrent',
  'pcie.link.gen.max',
  'pcie.link.width.current',
  'pcie.link.width.max',
] as const;
export type SampleField = (typeof SAMPLE_FIELDS)[number];

/** Fields without which a line means nothing: a driver that rejects one of these cannot be sampled. */
export const REQUIRED_FIELDS: readonly string[] = ['index', 'uuid', 'name'];

/** Clock-event reasons gpuctl reads one by one; the first three fail /gpu-health. */
export const THROTTLE_REASONS = ['hw_thermal_slowdown', 'sw_thermal_slowdown', 'hw_power_brake_slowdown', 'sw_power_cap'] as const;
export type ThrottleReason = (typeof THROTTLE_REASONS)[number];

/** One GPU at one moment. Units as nvidia-smi prints them: %, MiB, °C, W, MHz. null: not reported. */
export interface GpuSample {
  index: number;
  uuid: string;
  name: string;
  pciBusId: string | null;
  utilGpuPct: number | null;
  utilMemoryPct: number | null;
  utilEncoderPct: number | null;
  utilDecoderPct: number | null;
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
  memoryFreeMiB: number | null;
  temperatureC: number | null;
  memoryTemperatureC: number | null;
  powerDrawW: number | null;
  powerLimitW: number | null;
  smClockMHz: number | null;
  memClockMHz: number | null;
  maxSmClockMHz: number | null;
  /** P0 → 0 … P12 → 12. */
  pstate: number | null;
  /** The active clock-event reasons bitmask (NVML's nvmlClocksEventReasons). */
  throttleMask: number | null;
  throttle: Record<ThrottleReason, boolean | null>;
  eccCorrectedVolatile: number | null;
  eccUncorrectedVolatile: number | null;
  retiredSbe: number | null;
  retiredDbe: number | null;
  retiredPending: boolean | null;
  remappedCorrectable: number | null;
  remappedUncorrectable: number | null;
  remapPending: boolean | null;
  remapFailure: boolean | null;
  /** PCIe link generation and width now (an idle GPU lowers them) and the most this GPU and host allow. */
  linkGen: number | null;
  linkGenMax: number | null;
  linkWidth: number | null;
  linkWidthMax: number | null;
}

export type LineParse = { ok: true; sample: GpuSample } | { ok: false; reason: string };

const cell = (raw: string | undefined): string | null => {
  const v = raw?.trim() ?? '';
  return v === '' || v === 'N/A' || /^\[.*\]$/.test(v) ? null : v;
};

export function sampleArgs(fields: readonly string[], intervalMs: number): string[] {
  return [`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits', '-lms', String(intervalMs)];
}

/** Parses one line answering sampleArgs(fields). Anything that does not fit is a reason, never a wrong sample. */
export function parseSampleLine(line: string, fields: readonly string[]): LineParse {
  const cells = line.split(', ');
  if (cells.length !== fields.length)
    return { ok: false, reason: `${cells.length} fields where ${fields.length} were asked for: "${line.slice(0, 80)}"` };
  const raw = (field: SampleField) => (fields.includes(field) ? cell(cells[fields.indexOf(field)]) : null);
  let bad: string | undefined;
  const num = (field: SampleField): number | null => {
    const v = raw(field);
    if (v === null) return null;
    const n = Number(v);
    if (!Number.isFinite(n)) bad ??= `${field} is "${v}", not a number`;
    return Number.isFinite(n) ? n : null;
  };
  const flag = (field: SampleField, yes: string, no: string): boolean | null => {
    const v = raw(field);
    if (v === null) return null;
    if (v !== yes && v !== no) bad ??= `${field} is "${v}", not ${yes}/${no}`;
    return v === yes;
  };
  const index = num('index');
  const uuid = raw('uuid');
  const name = raw('name');
  const pstateText = raw('pstate');
  const maskText = raw('clocks_throttle_reasons.active');
  if (pstateText !== null && !/^P\d{1,2}$/.test(pstateText)) bad ??= `pstate is "${pstateText}"`;
  if (maskText !== null && !/^0x[0-9a-fA-F]+$/.test(maskText)) bad ??= `clocks_throttle_reasons.active is "${maskText}"`;
  const throttle = Object.fromEntries(
    THROTTLE_REASONS.map((r) => [r, flag(`clocks_throttle_reasons.${r}`, 'Active', 'Not Active')]),
  ) as Record<ThrottleReason, boolean | null>;
  const sample: GpuSample = {
    index: index ?? -1,
    uuid: uuid ?? '',
    name: name ?? '',
    pciBusId: raw('pci.bus_id'),
    utilGpuPct: num('utilization.gpu'),
    utilMemoryPct: num('utilization.memory'),
    utilEncoderPct: num('utilization.encoder'),
    utilDecoderPct: num('utilization.decoder'),
    memoryTotalMiB: num('memory.total'),
    memoryUsedMiB: num('memory.used'),
    memoryFreeMiB: num('memory.free'),
    temperatureC: num('temperature.gpu'),
    memoryTemperatureC: num('temperature.memory'),
    powerDrawW: num('power.draw'),
    powerLimitW: num('power.limit'),
    smClockMHz: num('clocks.sm'),
    memClockMHz: num('clocks.mem'),
    maxSmClockMHz: num('clocks.max.sm'),
    pstate: pstateText === null ? null : Number(pstateText.slice(1)),
    throttleMask: maskText === null ? null : Number.parseInt(maskText.slice(2), 16),
    throttle,
    eccCorrectedVolatile: num('ecc.errors.corrected.volatile.total'),
    eccUncorrectedVolatile: num('ecc.errors.uncorrected.volatile.total'),
    retiredSbe: num('retired_pages.sbe'),
    retiredDbe: num('retired_pages.dbe'),
    retiredPending: flag('retired_pages.pending', 'Yes', 'No'),
    remappedCorrectable: num('remapped_rows.correctable'),
    remappedUncorrectable: num('remapped_rows.uncorrectable'),
    remapPending: flag('remapped_rows.pending', 'Yes', 'No'),
    remapFailure: flag('remapped_rows.failure', 'Yes', 'No'),
    linkGen: num('pcie.link.gen.gpucurrent'),
    linkGenMax: num('pcie.link.gen.max'),
    linkWidth: num('pcie.link.width.current'),
    linkWidthMax: num('pcie.link.width.max'),
  };
  if (index === null || !Number.isInteger(index) || index < 0) bad ??= 'index is not a GPU index';
  if (uuid === null || name === null) bad ??= 'no uuid or name';
  return bad === undefined ? { ok: true, sample } : { ok: false, reason: `${bad}: "${line.slice(0, 80)}"` };
}
