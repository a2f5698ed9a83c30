import { checkWorkload } from '../init/inputs.js';
import { WORKLOADS } from '../shared/profiles.js';
import type { ValidateCommandOptions } from '../validate/run.js';
import { str, type OptionKeys, type RawInput } from '../shared/options.js';
import { defineCommand } from './define.js';

const options = [
  { flags: '-c, --config <path>', description: 'path to fly.toml (default: ./fly.toml)' },
  { flags: '--dockerfile <path>', description: "path to the Dockerfile (default: fly.toml's [build] dockerfile, else ./Dockerfile)" },
  { flags: '--workload <profile>', description: 'workload profile for the memory rule when [env] has no GPUCTL_WORKLOAD', choices: WORKLOADS },
] as const;

export function parseValidateFlags(raw: RawInput<OptionKeys<typeof options>>): ValidateCommandOptions {
  const workload = str(raw, 'workload');
  return { config: str(raw, 'config'), dockerfile: str(raw, 'dockerfile'), workload: workload === undefined ? undefined : checkWorkload(workload) };
}

export const validateCommand = defineCommand({
  name: 'validate',
  summary: 'Check a fly.toml and Dockerfile for GPU pitfalls before anything is built or deployed',
  description:
    'Parses fly.toml (errors with line and column), then applies rules, each with an id, a severity, the file and line,\n' +
    'and a fix: retired Fly GPU guests, gpu_kind aliases and regions, check durations flyctl clamps, suspend with a GPU,\n' +
    'FLY_ env names, deploy strategies and volumes, memory for the workload; in the Dockerfile: NVIDIA driver packages,\n' +
    "a CUDA userland newer than the target's driver, root, devel images at runtime. Reads what flyctl reads ([vm] or\n" +
    '[[vm]], durations as integer milliseconds, boolean or string auto_stop_machines).\n' +
    'Exit 0 when clean or warnings only, 1 on errors, 2 when a file cannot be parsed or found.',
  options,
  examples: [
    ['gpuctl validate', 'check ./fly.toml and ./Dockerfile'],
    ['gpuctl validate -c deploy/fly.toml --dockerfile deploy/Dockerfile.gpu', 'files elsewhere'],
    ['gpuctl validate --json | jq ".findings[] | select(.severity == \\"error\\")"', 'machine-readable findings (schemaVersion 1)'],
  ],
  parse: parseValidateFlags,
  run: async (options, ctx) => {
    const [{ runValidate }, { renderValidate }] = await Promise.all([import('../validate/run.js'), import('../validate/render.js')]);
    const result = runValidate(options, ctx);
    ctx.print(result, renderValidate);
    return result.exitCode;
  },
});
