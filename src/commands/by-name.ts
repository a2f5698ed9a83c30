/**
 * Each command's definition by its name, each loaded on its own: `gpuctl validate …` loads and wires only
 * validate's definition (start-up, issue 19 item 11: building commander with all sixteen is most of what
 * --help costs). Help, a bare `gpuctl`, a global flag first or an unknown name get the whole registry
 * (index.ts, which holds the help order). test/unit/cli/by-name.test.ts keeps the two lists the same.
 */
import type { AnyCommand } from './define.js';

export const COMMANDS_BY_NAME: Readonly<Record<string, () => Promise<AnyCommand>>> = {
  detect: async () => (await import('./detect.js')).detectCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  bench: async () => (await import('./bench.js')).benchCommand,
  diag: async () => (await import('./diag.js')).diagCommand,
  init: async () => (await import('./init.js')).initCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  smoke: async () => (await import('./smoke.js')).smokeCommand,
  deploy: async () => (await import('./deploy.js')).deployCommand,
  status: async () => (await import('./status.js')).statusCommand,
  health: async () => (await import('./health.js')).healthCommand,
  loadtest: async () => (await import('./loadtest.js')).loadtestCommand,
  scale: async () => (await import('./scale.js')).scaleCommand,
  agent: async () => (await import('./agent.js')).agentCommand,
  autoscale: async () => (await import('./autoscale.js')).autoscaleCommand,
  monitor: async () => (await import('./monitor.js')).monitorCommand,
  alerts: async () => (await import('./alerts.js')).alertsCommand,
};

/** The definitions commander needs for these arguments: the one command named first, else all of them. */
export async function definitionsFor(argv: readonly string[]): Promise<readonly AnyCommand[]> {
  const name = argv[0];
  const load = name !== undefined && Object.hasOwn(COMMANDS_BY_NAME, name) ? COMMANDS_BY_NAME[name] : undefined;
  return load ? [await load()] : (await import('./index.js')).registry;
}
