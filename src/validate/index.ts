/**
 * validate's public API: pure functions from file texts to findings. `gpuctl validate` reads the
 * files and prints (run.ts, which loads the compose check only when there is a compose file);
 * `gpuctl deploy` calls validateConfigCheck as its preflight.
 */
import { composeRules } from './compose-rules.js';
import { validateWith, type SourceFile, type ValidateFiles, type ValidateOptions } from './files.js';
import type { Finding } from '../shared/findings.js';

export { exitCodeFor, PARSE_FAILURES, RULES, type Finding, type RuleId, type Severity } from '../shared/findings.js';
export type { SourceFile, ValidateFiles, ValidateOptions } from './files.js';

/** Every finding for the given files, sorted by file and line. Pure: no file system, no clock. */
export const validateFiles = (files: ValidateFiles, options: ValidateOptions = {}): Finding[] => validateWith(files, options, composeRules);

/**
 * `gpuctl deploy`'s preflight check (its ConfigCheck, handed in by commands/deploy.ts): every rule,
 * except the GPU retirement, which preflight owns (it stops with the exact CPU [[vm]] block, and
 * --allow-gpu lets it through), and the region, which preflight checks against the list flyctl gives.
 */
export const validateConfigCheck = (flyToml: SourceFile): Finding[] =>
  validateFiles({ flyToml }).filter((f) => f.id !== 'fly-gpu-retired' && f.id !== 'region-unknown');
