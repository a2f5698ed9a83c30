/** Every command, in help order. A definition is light: its run() imports what it needs. */
import type { CommandSpec } from './define.js';
import { detectCommand } from './detect.js';
import { doctorCommand } from './doctor.js';
import { benchCommand } from './bench.js';
import { initCommand } from './init.js';
import { validateCommand } from './validate.js';

export const registry: readonly CommandSpec<any>[] = [detectCommand, doctorCommand, benchCommand, initCommand, validateCommand];
