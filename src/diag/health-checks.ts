/**
 * The nvidia-smi checks (pure): ECC, retired pages, remapped rows, clock-event reasons, thermal and
 * power state, PCIe link. Reasons, temperature, power and the link are judged on the samples taken
 * UNDER LOAD (an idle GPU lowers its link on purpose); counters on the reading after the load.
 */
import type { SmiHealth } from './smi.js';
import { CRITICAL_XIDS, sameDevice, type XidReport } from '../gpu/xid.js';

export type Verdict = 'pass' | 'warn' | 'fail';
export interface CheckResult {
  name: string;
  verdict: Verdict | 'skip';
  evidence: string;
}

const check = (name: string, verdict: CheckResult['verdict'], evidence: string): CheckResult => ({ name, verdict, evidence });
const any = (load: readonly SmiHealth[], pick: (s: SmiHealth) => boolean | null) => load.filter((s) => pick(s) === true).length;
const maxOf = (load: readonly SmiHealth[], pick: (s: SmiHealth) => number | null) =>
  load.reduce<number | null>((m, s) => (pick(s) === null ? m : Math.max(m ?? -Infinity, pick(s)!)), null);

export function eccCheck(after: SmiHealth): CheckResult {
  const { eccVolatile: v, eccAggregate: a } = after;
  if (v === null && a === null) return check('ecc', 'skip', 'uncorrectable ECC counters not reported (ECC off or not supported)');
  const text = `uncorrectable ECC: volatile ${v ?? 'n/a'}, aggregate ${a ?? 'n/a'}`;
  if ((v ?? 0) > 0) return check('ecc', 'fail', `${text} (errors since the driver loaded)`);
  if ((a ?? 0) > 0) return check('ecc', 'warn', `${text} (errors in the GPU's lifetime, none since the driver loaded)`);
  return check('ecc', 'pass', text);
}

export function retiredPagesCheck(after: SmiHealth): CheckResult {
  if (after.retiredPending === null)
    return check('retired-pages', 'skip', 'pages pending retirement: not reported (GPUs with row remapping report remapped rows instead)');
  return after.retiredPending
    ? check('retired-pages', 'fail', 'pages pending retirement: yes (retired on the next driver reload; reset the GPU)')
    : check('retired-pages', 'pass', 'pages pending retirement: no');
}

export function remappedRowsCheck(after: SmiHealth): CheckResult {
  const { remapPending: p, remapFailure: f } = after;
  if (p === null && f === null) return check('remapped-rows', 'skip', 'remapped rows: not reported (no row remapping on this GPU)');
  const text = `remapped rows pending: ${p ? 'yes' : 'no'}, remapping failure: ${f ? 'yes' : 'no'}`;
  if (f) return check('remapped-rows', 'fail', `${text} (the GPU ran out of spare rows: replace it)`);
  if (p) return check('remapped-rows', 'fail', `${text} (a remap waits for a GPU reset)`);
  return check('remapped-rows', 'pass', text);
}

export function clockEventsCheck(load: readonly SmiHealth[]): CheckResult {
  if (!load.length) return check('clock-events', 'skip', 'no sample under load');
  const n = load.length;
  const hw = any(load, (s) => s.hwThermal),
    brake = any(load, (s) => s.hwPowerBrake),
    slow = any(load, (s) => s.hwSlowdown);
  const swT = any(load, (s) => s.swThermal),
    cap = any(load, (s) => s.swPowerCap);
  const seen = `${n} samples under load: HW slowdown ${slow}, HW thermal ${hw}, HW power brake ${brake}, SW thermal ${swT}, SW power cap ${cap}`;
  if (hw || brake || slow) return check('clock-events', 'fail', `${seen} (hardware slowdown: cooling or power delivery)`);
  if (swT) return check('clock-events', 'warn', `${seen} (the driver slowed the clocks for temperature)`);
  if (cap) return check('clock-events', 'warn', `${seen} (power cap reached: normal under stress)`);
  return check('clock-events', 'pass', seen);
}

export function thermalCheck(load: readonly SmiHealth[]): CheckResult {
  const t = maxOf(load, (s) => s.temperatureC);
  if (t === null) return check('thermal', 'skip', load.length ? 'temperature not reported' : 'no sample under load');
  const first = load.find((s) => s.temperatureC !== null)!.temperatureC!;
  const text = `temperature under load ${first} -> ${load.at(-1)?.temperatureC ?? t} C (max ${t} C)`;
  if (t >= 92) return check('thermal', 'fail', `${text}: at or above 92 C`);
  if (t >= 85) return check('thermal', 'warn', `${text}: at or above 85 C`);
  return check('thermal', 'pass', text);
}

export function powerCheck(load: readonly SmiHealth[]): CheckResult {
  const p = maxOf(load, (s) => s.powerW);
  if (p === null) return check('power', 'skip', load.length ? 'power draw not reported' : 'no sample under load');
  const limit = maxOf(load, (s) => s.powerLimitW);
  return check('power', 'pass', `max power draw under load ${p.toFixed(0)} W of ${limit === null ? 'n/a' : `${limit.toFixed(0)} W`} limit`);
}

export function pcieCheck(load: readonly SmiHealth[]): CheckResult {
  const gen = maxOf(load, (s) => s.linkGen),
    width = maxOf(load, (s) => s.linkWidth);
  const genMax = maxOf(load, (s) => s.linkGenMax),
    widthMax = maxOf(load, (s) => s.linkWidthMax);
  if (gen === null || width === null || genMax === null || widthMax === null)
    return check('pcie-link', 'skip', load.length ? 'PCIe link not reported' : 'no sample under load');
  const text = `PCIe under load: gen ${gen} x${width} (max gen ${genMax} x${widthMax})`;
  if (gen < genMax || width < widthMax) return check('pcie-link', 'fail', `${text}: the link trained below its maximum`);
  return check('pcie-link', 'pass', text);
}

export function xidCheck(xid: XidReport, busId: string): CheckResult {
  if (!xid.readable) return check('xid', 'skip', `kernel log not readable (${xid.reason})`);
  const mine = xid.events.filter((e) => sameDevice(busId, e.pci));
  if (!mine.length) return check('xid', 'pass', `no XID event for ${busId} in the kernel log`);
  const codes = [...new Set(mine.map((e) => e.code))].join(', ');
  const critical = mine.some((e) => CRITICAL_XIDS.includes(e.code));
  return check('xid', critical ? 'fail' : 'warn', `${mine.length} XID events (codes ${codes}); last: ${mine.at(-1)!.text}`);
}
