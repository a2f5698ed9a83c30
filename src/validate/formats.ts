/** validate's --format choices: on their own so the command's definition (loaded for `gpuctl --help`) needs no rule or parser. */
export const VALIDATE_FORMATS = ['text', 'github', 'sarif'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];
