/**
 * The doctor's checks, listed once: the rows decide.ts produces and the names `--require` accepts
 * (commands/doctor.ts). A module of its own, with no imports, so the command's definition can load it
 * at start-up without the probes.
 */

/** The checks a tool or device may be missing for: the ones `--require` can name. */
export const OPTIONAL_CHECKS = ['gpu', 'nvcc', 'cuda-compat', 'flyctl', 'fly-auth', 'docker', 'engine'] as const;
export type OptionalCheckId = (typeof OPTIONAL_CHECKS)[number];

/** Every check, in the order of the rows. */
export const CHECK_IDS = ['node', ...OPTIONAL_CHECKS] as const;
export type CheckId = (typeof CHECK_IDS)[number];
