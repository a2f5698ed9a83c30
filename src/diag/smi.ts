/**
 * The nvidia-smi health fields diag reads (pure): the query's field list and its CSV
 * (`--format=csv,noheader,nounits`) as one record per GPU. "[N/A]", "[Not Supported]" and the like become null
 * (gpu/smi-text.ts `smiValue`, the one rule).
 */
import { smiValue } from '../gpu/smi-text.js';

export const DIAG_FIELDS = [
  'index',
  'uuid',
  'name',
  'pci.bus_id',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'clocks.current.sm',
  'clocks.max.sm',
  'ecc.errors.uncorrected.volatile.total',
  'ecc.errors.uncorrected.aggregate.total',
  'retired_pages.pending',
  'remapped_rows.pending',
  'remapped_rows.failure',
  'clocks_event_reasons.active',
  'clocks_event_reasons.sw_power_cap',
  'clocks_event_reasons.hw_slowdown',
  'clocks_event_reasons.hw_thermal_slowdown',
  'clocks_event_reasons.hw_power_brake_slowdown',
  'clocks_event_reasons.sw_thermal_slowdown',
  'pcie.link.gen.gpucurrent',
  'pcie.link.gen.max',
  'pcie.link.width.current',
  'pcie.link.width.max',
  'utilization.gpu',
] as const;

export interface SmiHealth {
  index: number;
  uuid: string;
  name: string;
  busId: string;
  temperatureC: number | null;
  powerW: number | null;
  powerLimitW: number | null;
  smClockMHz: number | null;
  smClockMaxMHz: number | null;
  eccVolatile: number | null;
  eccAggregate: number | null;
  retiredPending: boolean | null;
  remapPending: boolean | null;
  remapFailure: boolean | null;
  reasons: string | null;
  swPowerCap: boolean | null;
  hwSlowdown: boolean | null;
  hwThermal: boolean | null;
  hwPowerBrake: boolean | null;
  swThermal: boolean | null;
  linkGen: number | null;
  linkGenMax: number | null;
  linkWidth: number | null;
  linkWidthMax: number | null;
  /** Percent of the last sample period in which a kernel ran: whether the GPU was loaded (load.ts). */
  utilizationPct: number | null;
}

const num = (raw: string | undefined) => {
  const v = smiValue(raw);
  return v === null || !Number.isFinite(Number(v)) ? null : Number(v);
};
/** Yes/No (pending, failure) and Active/Not Active (clock-event reasons). */
const flag = (raw: string | undefined) => {
  const v = smiValue(raw);
  return v === null ? null : /^(yes|active)$/i.test(v);
};

/** The fields diag cannot do without (the others an old driver may reject: they read null, "not reported"). */
export const DIAG_REQUIRED: readonly string[] = ['index', 'uuid', 'name', 'pci.bus_id'];

/** An older driver's name for a field: the throttle reasons before R535 renamed them, the link generation before gpucurrent. */
export function olderName(field: string): string | undefined {
  if (field.startsWith('clocks_event_reasons.')) return field.replace('clocks_event_reasons.', 'clocks_throttle_reasons.');
  return field === 'pcie.link.gen.gpucurrent' ? 'pcie.link.gen.current' : undefined;
}

/**
 * The query to ask again after the driver rejected `rejected` (nvidia-smi's "Field … is not a valid field"): its older
 * name (every clock-event reason at once), else without it; undefined when it is required or was not asked for.
 */
export function fieldsWithout(rejected: string | undefined, fields: readonly string[]): string[] | undefined {
  if (rejected === undefined || !fields.includes(rejected) || DIAG_REQUIRED.includes(rejected)) return undefined;
  const older = olderName(rejected);
  if (older === undefined || fields.includes(older)) return fields.filter((f) => f !== rejected);
  const renamed = rejected.startsWith('clocks_event_reasons.')
    ? (f: string) => f.startsWith('clocks_event_reasons.')
    : (f: string) => f === rejected;
  return fields.map((f) => (renamed(f) ? (olderName(f) ?? f) : f));
}

/** Lines that are not one cell per field asked for (an HTML error page, a cut-off answer): the first such line, if any. */
export function unreadableLine(stdout: string, fields: readonly string[]): string | undefined {
  return stdout.split(/\r?\n/).find((line) => line.trim() !== '' && line.split(',').length !== fields.length);
}

/** One record per GPU line, the fields in `fields` order (a field an old driver rejected is absent: null). */
export function parseHealth(stdout: string, fields: readonly string[] = DIAG_FIELDS): SmiHealth[] {
  return stdout
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const cells = line.split(',').map((c) => c.trim());
      const get = (field: string) => {
        const i = fields.indexOf(field);
        const old = olderName(field);
        const j = i < 0 && old !== undefined ? fields.indexOf(old) : i;
        return j < 0 ? undefined : cells[j];
      };
      return {
        index: num(get('index')) ?? -1,
        uuid: get('uuid') ?? '',
        name: get('name') ?? '',
        busId: get('pci.bus_id') ?? '',
        temperatureC: num(get('temperature.gpu')),
        powerW: num(get('power.draw')),
        powerLimitW: num(get('power.limit')),
        smClockMHz: num(get('clocks.current.sm')),
        smClockMaxMHz: num(get('clocks.max.sm')),
        eccVolatile: num(get('ecc.errors.uncorrected.volatile.total')),
        eccAggregate: num(get('ecc.errors.uncorrected.aggregate.total')),
        retiredPending: flag(get('retired_pages.pending')),
        remapPending: flag(get('remapped_rows.pending')),
        remapFailure: flag(get('remapped_rows.failure')),
        reasons: smiValue(get('clocks_event_reasons.active')),
        swPowerCap: flag(get('clocks_event_reasons.sw_power_cap')),
        hwSlowdown: flag(get('clocks_event_reasons.hw_slowdown')),
        hwThermal: flag(get('clocks_event_reasons.hw_thermal_slowdown')),
        hwPowerBrake: flag(get('clocks_event_reasons.hw_power_brake_slowdown')),
        swThermal: flag(get('clocks_event_reasons.sw_thermal_slowdown')),
        linkGen: num(get('pcie.link.gen.gpucurrent')),
        linkGenMax: num(get('pcie.link.gen.max')),
        linkWidth: num(get('pcie.link.width.current')),
        linkWidthMax: num(get('pcie.link.width.max')),
        utilizationPct: num(get('utilization.gpu')),
      };
    });
}
