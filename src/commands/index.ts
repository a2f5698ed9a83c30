/** Every command, in help order. A definition is light: its run() imports what it needs. */
import { agentCommand } from './agent.js';
import { alertsCommand } from './alerts.js';
import { autoscaleCommand } from './autoscale.js';
import { benchCommand } from './bench.js';
import type { CommandSpec } from './define.js';
import { deployCommand } from './deploy.js';
import { detectCommand } from './detect.js';
import { diagCommand } from './diag.js';
import { doctorCommand } from './doctor.js';
import { healthCommand } from './health.js';
import { initCommand } from './init.js';
import { monitorCommand } from './monitor.js';
import { loadtestCommand } from './loadtest.js';
import { scaleCommand } from './scale.js';
import { smokeCommand } from './smoke.js';
import { statusCommand } from './status.js';
import { validateCommand } from './validate.js';

export const registry: readonly CommandSpec<any>[] = [
  detectCommand,
  doctorCommand,
  benchCommand,
  diagCommand,
  initCommand,
  validateCommand,
  smokeCommand,
  deployCommand,
  statusCommand,
  healthCommand,
  loadtestCommand,
  scaleCommand,
  agentCommand,
  autoscaleCommand,
  monitorCommand,
  alertsCommand,
];
