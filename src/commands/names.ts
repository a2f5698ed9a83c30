/**
 * Every command's name, in help order, with a loader for its definition alone. `gpuctl validate …`
 * builds the program from validate's definition only (start-up: the other fifteen definitions and
 * their option tables are not loaded); `gpuctl --help`, `gpuctl help` or an unknown name load them all
 * (index.ts). A test keeps this table and the registry the same.
 */
import type { AnyCommand } from './define.js';

export const COMMAND_LOADERS: Readonly<Record<string, () => Promise<AnyCommand>>> = {
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

export const COMMAND_NAMES: readonly string[] = Object.keys(COMMAND_LOADERS);

/** The command argv names before any of its own words: the first word that is not a global flag (they take no value). */
export function commandNamed(argv: readonly string[]): string | undefined {
  const word = argv.find((arg) => !arg.startsWith('-'));
  return word !== undefined && Object.hasOwn(COMMAND_LOADERS, word) ? word : undefined;
}

/** The definitions the program needs for this argv: the named command's alone, or all of them. */
export async function commandsFor(argv: readonly string[]): Promise<readonly AnyCommand[]> {
  const name = commandNamed(argv);
  if (name !== undefined) return [await COMMAND_LOADERS[name]!()];
  return (await import('./index.js')).registry;
}
