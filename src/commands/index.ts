/** Every command, in help order. A definition is light: its run() imports what it needs. */
import type { CommandSpec } from './define.js';
import { deployCommand } from './deploy.js';
import { detectCommand } from './detect.js';
import { doctorCommand } from './doctor.js';
import { healthCommand } from './health.js';
import { scaleCommand } from './scale.js';
import { statusCommand } from './status.js';

export const registry: readonly CommandSpec<any>[] = [detectCommand, doctorCommand, deployCommand, statusCommand, healthCommand, scaleCommand];
