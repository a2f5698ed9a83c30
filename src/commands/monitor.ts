import { parseMonitorOptions } from '../monitor/options.js';
import { defineCommand } from './define.js';

export const monitorCommand = defineCommand({
  name: 'monitor',
  summary: 'A live view of the local GPUs: utilisation, memory, temperature, power, clocks, processes',
  description:
    'Asks nvidia-smi every --interval (one --query-gpu and one --query-compute-apps call) and redraws the\n' +
    'screen, in the spirit of nvitop and gpustat. Values over a threshold are shown in red and named on an\n' +
    'ALERT line. Ctrl-C quits and gives the terminal back. --once prints one screen; --json prints one\n' +
    'NDJSON record per sample ({schemaVersion, at, machines, alerts}) for piping.',
  options: [
    { flags: '--interval <duration>', description: 'time between samples', default: '2s' },
    { flags: '--once', description: 'print one sample and exit' },
    { flags: '--max-temp <celsius>', description: 'alert above this GPU temperature', default: '85' },
    { flags: '--max-memory <percent>', description: 'alert above this share of GPU memory used', default: '90' },
    { flags: '--max-util <percent>', description: 'alert above this GPU utilisation (default: off)' },
  ] as const,
  examples: [
    ['gpuctl monitor', 'redraw every 2 s until Ctrl-C'],
    ['gpuctl monitor --once', 'one screen, e.g. in a log'],
    ['gpuctl monitor --json --interval 1s | jq -c .alerts', 'one record per second, for scripts'],
  ],
  parse: parseMonitorOptions,
  run: async (options, ctx) => {
    const [{ runMonitor }, { sampleLocal }] = await Promise.all([import('../monitor/run.js'), import('../monitor/local.js')]);
    return runMonitor(options, ctx, sampleLocal);
  },
});
