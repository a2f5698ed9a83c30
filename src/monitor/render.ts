/**
 * The monitor's screen and alerts: pure functions of a MonitorSample (monitor/types.ts), whatever its
 * source. One block per machine: a row per GPU (utilisation bar, memory, temperature, power, clocks),
 * then its processes; values over a threshold in red, and an alert line per crossing.
 */
import type { Style } from '../ui/style.js';
import type { MonitorAlert, MonitorGpu, MonitorSample, MonitorThresholds } from './types.js';

export { DEFAULT_THRESHOLDS } from './options.js';

const memPct = (g: MonitorGpu) => (g.memoryUsedMiB !== null && g.memoryTotalMiB ? (100 * g.memoryUsedMiB) / g.memoryTotalMiB : null);

export function alertsFor(sample: MonitorSample, t: MonitorThresholds): MonitorAlert[] {
  const out: MonitorAlert[] = [];
  for (const m of sample.machines) {
    if (m.error) out.push({ machine: m.id, gpu: null, kind: 'unreadable', message: `${m.id}: ${m.error}` });
    for (const g of m.gpus) {
      const where = `${m.id} GPU ${g.index}`;
      if (g.temperatureC !== null && g.temperatureC > t.maxTempC)
        out.push({
          machine: m.id,
          gpu: g.index,
          kind: 'temperature',
          message: `${where} at ${g.temperatureC} °C (limit ${t.maxTempC} °C)`,
        });
      const pct = memPct(g);
      if (pct !== null && pct > t.maxMemoryPct)
        out.push({
          machine: m.id,
          gpu: g.index,
          kind: 'memory',
          message: `${where} memory ${pct.toFixed(0)}% used (limit ${t.maxMemoryPct}%)`,
        });
      if (t.maxUtilPct !== null && g.utilGpuPct !== null && g.utilGpuPct > t.maxUtilPct)
        out.push({ machine: m.id, gpu: g.index, kind: 'utilization', message: `${where} ${g.utilGpuPct}% busy (limit ${t.maxUtilPct}%)` });
    }
  }
  return out;
}

const n = (v: number | null, unit = '', digits = 0) => (v === null ? '-' : `${v.toFixed(digits)}${unit}`);

export function bar(pct: number | null, width = 10): string {
  if (pct === null) return `[${' '.repeat(width)}]`;
  const full = Math.round((Math.min(100, Math.max(0, pct)) / 100) * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

export interface RenderOptions {
  thresholds: MonitorThresholds;
  style: Style;
  /** Shown in the title, e.g. "every 2 s · Ctrl-C to quit". */
  note?: string;
}

function gpuRow(g: MonitorGpu, t: MonitorThresholds, s: Style): string {
  const pct = memPct(g);
  const hot = g.temperatureC !== null && g.temperatureC > t.maxTempC;
  const full = pct !== null && pct > t.maxMemoryPct;
  const busy = t.maxUtilPct !== null && g.utilGpuPct !== null && g.utilGpuPct > t.maxUtilPct;
  const util = `${bar(g.utilGpuPct)} ${n(g.utilGpuPct, '%').padStart(4)}`;
  const mem = `${n(g.memoryUsedMiB)} / ${n(g.memoryTotalMiB)} MiB ${pct === null ? '' : `(${pct.toFixed(0)}%)`}`.padEnd(26);
  const temp = n(g.temperatureC, ' °C').padStart(6);
  const power = `${n(g.powerDrawW, '', 0)} / ${n(g.powerLimitW, ' W', 0)}`.padStart(11);
  const clocks = `${n(g.smClockMHz)} / ${n(g.memClockMHz, ' MHz')}`.padStart(16);
  return `  ${String(g.index).padStart(3)}  ${g.name.slice(0, 24).padEnd(24)}  ${busy ? s.red(util) : util}  ${full ? s.red(mem) : mem}  ${hot ? s.red(temp) : temp}  ${power}  ${clocks}`;
}

export function renderMonitor(sample: MonitorSample, o: RenderOptions): string {
  const s = o.style;
  const lines = [s.bold(`gpuctl monitor  ${sample.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}${o.note ? `  ${s.dim(o.note)}` : ''}`)];
  for (const m of sample.machines) {
    lines.push('', `${s.bold(m.id)}${m.region ? `  ${m.region}` : ''}  ${m.gpus.length} GPU${m.gpus.length === 1 ? '' : 's'}`);
    if (m.error) lines.push(`  ${s.red(m.error)}`);
    if (m.gpus.length) {
      lines.push(
        s.dim(
          `  ${'GPU'.padStart(3)}  ${'Name'.padEnd(24)}  ${'Util'.padEnd(17)}  ${'Memory'.padEnd(26)}  ${'Temp'.padStart(6)}  ${'Power'.padStart(11)}  ${'SM / Mem clock'.padStart(16)}`,
        ),
      );
      for (const g of m.gpus) lines.push(gpuRow(g, o.thresholds, s));
    }
    lines.push(s.dim('  Processes'));
    if (m.processesError) lines.push(`    ${s.red(`could not be read: ${m.processesError}`)}`);
    else if (m.processes.length === 0) lines.push(s.dim('    none'));
    for (const p of m.processes)
      lines.push(
        `    GPU ${p.gpu === null ? '?' : p.gpu}  ${String(p.pid).padStart(7)}  ${n(p.usedMemoryMiB, ' MiB').padStart(10)}  ${p.name}`,
      );
  }
  const alerts = alertsFor(sample, o.thresholds);
  lines.push('', alerts.length ? s.red(`ALERT: ${alerts.map((a) => a.message).join('; ')}`) : s.green('No thresholds crossed.'));
  return `${lines.join('\n')}\n`;
}
