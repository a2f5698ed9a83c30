/** Every command, in help order. A definition is light: its run() imports what it needs. */
import type { CommandSpec } from './define.js';
import { deployCommand } from './deploy.js';
import { detectCommand } from './detect.js';
import { doctorCommand } from './doctor.js';

export const registry: readonly CommandSpec<any>[] = [detectCommand, doctorCommand, deployCommand];
