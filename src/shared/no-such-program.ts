/**
 * The one wording for an environment variable that names a program which is not there (GPUCTL_NVIDIA_SMI, NVCC,
 * FLYCTL): a mistake to say, not "no GPU here" or "not installed". The sentence is a clause: each caller ends it as
 * its own output does (a period in an error, "; restarting …" in the agent's log).
 */

/** `NVCC is set to "/opt/cuda/bin/nvcc", and there is no such program` */
export function noSuchProgram(variable: string, value: string): string {
  return `${variable} is set to ${JSON.stringify(value)}, and there is no such program`;
}

/** What to do about it: `Point NVCC at nvcc, or unset it to use nvcc from PATH.` */
export function pointItAt(variable: string, program: string, fromPath: string = program): string {
  return `Point ${variable} at ${program}, or unset it to use ${fromPath} from PATH.`;
}
