import { checkWorkload } from '../init/inputs.js';
import { WORKLOADS } from '../shared/profiles.js';
import { UsageError } from '../errors.js';
import { VALIDATE_FORMATS, type ValidateFormat } from '../validate/formats.js';
import type { ValidateCommandOptions } from '../validate/run.js';
import { bool, str, type OptionKeys, type RawInput } from '../shared/options.js';
import { jsonText } from '../ui/output.js';
import { defineCommand } from './define.js';

const options = [
  { flags: '-c, --config <path>', description: 'path to fly.toml (default: ./fly.toml)' },
  { flags: '--dockerfile <path>', description: "path to the Dockerfile (default: fly.toml's [build] dockerfile, else ./Dockerfile)" },
  {
    flags: '--compose <path>',
    description: 'path to the Compose file (default: compose.yaml, compose.yml, docker-compose.yaml or .yml next to fly.toml)',
  },
  {
    flags: '--workload <profile>',
    description: 'workload profile for the memory rule when [env] has no GPUCTL_WORKLOAD',
    choices: WORKLOADS,
  },
  {
    flags: '--format <format>',
    description: 'text, github (workflow commands: annotations) or sarif (SARIF 2.1.0 for code scanning)',
    choices: VALIDATE_FORMATS,
    default: 'text',
  },
] as const;

export function parseValidateFlags(raw: RawInput<OptionKeys<typeof options>>): ValidateCommandOptions {
  const workload = str(raw, 'workload');
  const format = (str(raw, 'format') ?? 'text') as ValidateFormat;
  if (format !== 'text' && bool(raw, 'json')) {
    throw new UsageError(`--json and --format ${format} exclude each other.`, {
      hint: "--json prints gpuctl's own JSON (schemaVersion 1); --format sarif prints SARIF 2.1.0.",
    });
  }
  return {
    format,
    config: str(raw, 'config'),
    dockerfile: str(raw, 'dockerfile'),
    compose: str(raw, 'compose'),
    workload: workload === undefined ? undefined : checkWorkload(workload),
  };
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
    'In CI, --format github prints each finding as a GitHub Actions annotation on its line, and --format sarif a SARIF 2.1.0\n' +
    'log for code scanning; with GITHUB_STEP_SUMMARY set, a markdown summary is appended to it.\n' +
    'Exit 0 when clean or warnings only, 1 on errors, 2 when a file cannot be parsed or found.',
  options,
  examples: [
    ['gpuctl validate', 'check ./fly.toml and ./Dockerfile'],
    ['gpuctl validate -c deploy/fly.toml --dockerfile deploy/Dockerfile.gpu', 'files elsewhere'],
    ['gpuctl validate --json | jq ".findings[] | select(.severity == \\"error\\")"', 'machine-readable findings (schemaVersion 1)'],
    ['gpuctl validate --format github', 'in GitHub Actions: each finding as an annotation on its line of the pull request'],
    ['gpuctl validate --format sarif > gpuctl.sarif', 'for github/codeql-action/upload-sarif (code scanning)'],
  ],
  parse: parseValidateFlags,
  run: async (options, ctx) => {
    // All at once: each later import() is one more round of file reads before the command can finish (start-up).
    const [{ runValidate }, { renderValidate }, { appendStepSummary }, { renderValidateMarkdown }] = await Promise.all([
      import('../validate/run.js'),
      import('../validate/render.js'),
      import('../ui/step-summary.js'),
      import('../validate/markdown.js'),
    ]);
    const result = await runValidate(options, ctx);
    const workspace = ctx.env.GITHUB_WORKSPACE;
    if (ctx.flags.json) {
      ctx.print(result, renderValidate);
    } else if (options.format === 'github') {
      const { renderGithub } = await import('../validate/github.js');
      ctx.print(result, () => renderGithub(result, ctx.cwd, workspace));
    } else if (options.format === 'sarif') {
      const [{ toSarif }, { VERSION }] = await Promise.all([import('../validate/sarif.js'), import('../version.js')]);
      ctx.print(result, () => jsonText(toSarif(result, VERSION, ctx.cwd, workspace)));
    } else {
      ctx.print(result, renderValidate);
    }
    await appendStepSummary(ctx, () => renderValidateMarkdown(result));
    return result.exitCode;
  },
});
