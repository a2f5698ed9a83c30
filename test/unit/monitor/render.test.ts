import { describe, expect, it } from 'vitest';
import { parseComputeApps } from '../../../src/gpu/smi-live.js';
import { parseSampleLine, SAMPLE_FIELDS } from '../../../src/gpu/smi-sample.js';
import { toMachine } from '../../../src/monitor/local.js';
import { parseMonitorOptions } from '../../../src/commands/monitor.js';
import { alertsFor, bar, DEFAULT_THRESHOLDS, renderMonitor } from '../../../src/monitor/render.js';
import type { MonitorGpu, MonitorMachine, MonitorSample } from '../../../src/monitor/types.js';
import { createStyle } from '../../../src/ui/style.js';

function gpu(index: number, values: Record<string, string>) {
  const base: Record<string, string> = {
    index: String(index),
    uuid: `GPU-${index}`,
    name: 'NVIDIA H100 80GB HBM3',
    'memory.total': '81559',
    ...values,
  };
  const parsed = parseSampleLine(SAMPLE_FIELDS.map((f) => base[f] ?? '[N/A]').join(', '), SAMPLE_FIELDS);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.sample;
}

const machine = toMachine(
  'gpu-box',
  [
    gpu(0, {
      'utilization.gpu': '87',
      'memory.used': '40000',
      'temperature.gpu': '61',
      'power.draw': '512.5',
      'power.limit': '700',
      'clocks.sm': '1980',
      'clocks.mem': '2619',
    }),
    gpu(1, { 'utilization.gpu': '3', 'memory.used': '80000', 'temperature.gpu': '91' }),
  ],
  parseComputeApps('4242, python3 serve.py, 39000, GPU-0\n77, stray, [N/A], GPU-9\n'),
);
const sample: MonitorSample = { at: '2026-11-26T02:00:00.000Z', machines: [machine] };

describe('monitor rendering', () => {
  it('draws a row per GPU, the processes and an alert line, without colour', () => {
    const text = renderMonitor(sample, { thresholds: DEFAULT_THRESHOLDS, style: createStyle(false) });
    const lines = text.split('\n');
    expect(lines[0]).toBe('gpuctl monitor  2026-11-26 02:00:00Z');
    expect(lines.find((l) => l.includes('  0  NVIDIA H100'))).toContain('[#########.]  87%  40000 / 81559 MiB (49%)');
    expect(lines.find((l) => l.includes('  0  NVIDIA H100'))).toContain('61 °C  513 / 700 W   1980 / 2619 MHz');
    expect(lines.find((l) => l.includes('  1  NVIDIA H100'))).toContain('-');
    expect(text).toContain('    GPU 0     4242   39000 MiB  python3 serve.py');
    expect(text).toContain('    GPU ?       77           -  stray');
    expect(lines.at(-2)).toBe('ALERT: gpu-box GPU 1 at 91 °C (limit 85 °C); gpu-box GPU 1 memory 98% used (limit 90%)');
    expect(text).not.toContain('\u001b[');
  });

  it('colours what crossed a threshold red, and only that', () => {
    const text = renderMonitor(sample, { thresholds: DEFAULT_THRESHOLDS, style: createStyle(true) });
    const row1 = text.split('\n').find((l) => l.includes('  1  NVIDIA H100'))!;
    expect(row1).toContain('\u001b[31m 91 °C\u001b[39m');
    expect(row1).toContain('\u001b[31m80000 / 81559 MiB (98%)');
    const row0 = text.split('\n').find((l) => l.includes('  0  NVIDIA H100'))!;
    expect(row0).not.toContain('\u001b[31m');
  });

  it('alerts on utilisation only when asked, and on an unreadable machine', () => {
    expect(alertsFor(sample, { ...DEFAULT_THRESHOLDS, maxUtilPct: 80 }).map((a) => [a.kind, a.gpu])).toEqual([
      ['utilization', 0],
      ['temperature', 1],
      ['memory', 1],
    ]);
    const broken: MonitorSample = { at: sample.at, machines: [{ id: 'm2', gpus: [], processes: [], error: 'scrape failed' }] };
    expect(alertsFor(broken, DEFAULT_THRESHOLDS)).toEqual([{ machine: 'm2', gpu: null, kind: 'unreadable', message: 'm2: scrape failed' }]);
    expect(renderMonitor({ at: sample.at, machines: [] }, { thresholds: DEFAULT_THRESHOLDS, style: createStyle(false) })).toContain(
      'No thresholds crossed.',
    );
  });

  it('bars clamp and show unknowns empty', () => {
    expect([bar(0), bar(55), bar(100), bar(140), bar(null)]).toEqual([
      '[..........]',
      '[######....]',
      '[##########]',
      '[##########]',
      '[          ]',
    ]);
  });
});

describe('monitor options and process lines', () => {
  it('parses thresholds and the interval, refusing nonsense', () => {
    expect(parseMonitorOptions({ args: [], opts: {} })).toEqual({
      intervalMs: 2000,
      once: false,
      thresholds: DEFAULT_THRESHOLDS,
      agents: [],
    });
    expect(parseMonitorOptions({ args: [], opts: { interval: '500ms', once: true, maxTemp: '80', maxUtil: '95' } })).toEqual({
      intervalMs: 500,
      once: true,
      thresholds: { maxTempC: 80, maxMemoryPct: 90, maxUtilPct: 95 },
      agents: [],
    });
    expect(() => parseMonitorOptions({ args: [], opts: { maxMemory: '120' } })).toThrow(
      '--max-memory "120" is not a number from 1 to 100.',
    );
    expect(() => parseMonitorOptions({ args: [], opts: { interval: '10ms' } })).toThrow('--interval "10ms" is under 100ms.');
    // A URL fetch cannot parse is a usage error here, not "cannot reach Prometheus (Invalid URL)" later.
    for (const url of ['http://[::1', 'http://a b', 'http://127.0.0.1:99999'])
      expect(() => parseMonitorOptions({ args: [], opts: { app: 'quant-signals', prometheus: url } }), url).toThrow(
        `--prometheus must be an http(s) URL, not "${url}".`,
      );
  });

  it('reads compute-app lines and refuses garbage', () => {
    expect(parseComputeApps('')).toEqual([]);
    expect(() => parseComputeApps('<html>502</html>')).toThrow('nvidia-smi printed a process line gpuctl cannot read');
  });
});

describe('monitor thresholds and edges', () => {
  const plain = (over: Partial<MonitorGpu>): MonitorGpu => ({
    index: 0,
    name: 'NVIDIA H200',
    uuid: 'GPU-0',
    utilGpuPct: 80,
    memoryUsedMiB: 900,
    memoryTotalMiB: 1000,
    temperatureC: 85,
    powerDrawW: null,
    powerLimitW: null,
    smClockMHz: null,
    memClockMHz: null,
    ...over,
  });
  const one = (g: MonitorGpu, more: Partial<MonitorMachine> = {}): MonitorSample => ({
    at: '2026-11-26T02:00:00.000Z',
    machines: [{ id: 'box', gpus: [g], processes: [], ...more }],
  });
  const limits = { ...DEFAULT_THRESHOLDS, maxUtilPct: 80 };

  it('a value at its limit is not over it', () => {
    expect([DEFAULT_THRESHOLDS.maxTempC, DEFAULT_THRESHOLDS.maxMemoryPct]).toEqual([85, 90]);
    expect(alertsFor(one(plain({})), limits)).toEqual([]);
    expect(alertsFor(one(plain({ utilGpuPct: 81, temperatureC: 86, memoryUsedMiB: 901 })), limits).map((a) => a.kind)).toEqual([
      'temperature',
      'memory',
      'utilization',
    ]);
  });

  it('memory without a total has no percentage and no alert', () => {
    const g = plain({ memoryTotalMiB: null, memoryUsedMiB: 1000 });
    expect(alertsFor(one(g), limits)).toEqual([]);
    expect(renderMonitor(one(g), { thresholds: limits, style: createStyle(false) })).toContain('1000 / - MiB  ');
  });

  it('a busy GPU is red when a utilisation limit is set; one GPU, processes unreadable or none, said as such', () => {
    const busy = renderMonitor(one(plain({ utilGpuPct: 95 }), { processesError: 'nvidia-smi timed out' }), {
      thresholds: limits,
      style: createStyle(true),
    });
    expect(busy).toContain('\u001b[31m[##########]  95%\u001b[39m');
    expect(busy).toContain('could not be read: nvidia-smi timed out');
    const idle = renderMonitor(one(plain({})), { thresholds: limits, style: createStyle(false) });
    expect(idle.split('\n')[2]).toBe('box  1 GPU');
    expect(idle).toContain('  Processes\n    none\n');
  });

  it('the bar clamps to 0-100%', () => {
    expect([bar(-20), bar(150), bar(null, 4)]).toEqual(['[..........]', '[##########]', '[    ]']);
  });
});
