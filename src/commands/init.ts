import { ExitCode, UsageError } from '../errors.js';
import { FLY_GPU_KIND_IDS } from '../flyio/gpu-kinds.js';
import { checkChoices } from '../init/inputs.js';
import { WORKLOADS } from '../shared/profiles.js';
import type { InitOptions } from '../init/run.js';
import { bool, str, type OptionKeys, type RawInput } from '../shared/options.js';
import { appOption, defineCommand } from './define.js';

const options = [
  { flags: '--dir <dir>', description: 'directory to write the files in (default: the current one)' },
  appOption,
  { flags: '-r, --region <code>', description: 'primary region (default: ord; a GPU kind: its first region)' },
  { flags: '--gpu-kind <kind>', description: `Fly GPU kind for the GPU layout: ${FLY_GPU_KIND_IDS.join(', ')} (retired on Fly)` },
  {
    flags: '--for-local-gpu',
    description: "the GPU layout for this machine's GPU (gpuctl detect): Dockerfile, compose.yaml; fly.toml is the CPU layout for Fly",
  },
  {
    flags: '--vm-size <size>',
    description:
      'Fly VM size for the CPU layout, e.g. performance-8x (the default); a GPU preset (a10, l40s, a100-40gb, a100-80gb) is its GPU kind',
  },
  {
    flags: '--memory <MB>',
    description: "memory of the CPU layout's VM in MB (default: the size's own, raised to what the workload needs)",
  },
  { flags: '--workload <profile>', description: 'workload profile (default: inference)', choices: WORKLOADS },
  { flags: '--port <n>', description: 'internal port the application listens on (default: 8080)' },
  { flags: '--volume-size <gb>', description: 'model volume size in GB (default: by target and workload)' },
  { flags: '--cmd <command>', description: 'the application command, words separated by spaces (default: "python3 -m app")' },
  { flags: '-y, --yes', description: 'ask nothing: take the defaults for inputs no flag gives' },
  { flags: '--force', description: 'overwrite files that differ' },
  { flags: '--skip', description: 'keep files that differ, write the rest' },
  { flags: '--dry-run', description: 'print what would be written and the diff; write nothing' },
] as const;

/** Flags → options, each value checked as a recorded one would be. Pure. */
export function parseInitFlags(raw: RawInput<OptionKeys<typeof options>>): InitOptions {
  const gpuKind = str(raw, 'gpuKind');
  const size = str(raw, 'vmSize');
  if (gpuKind !== undefined && size !== undefined)
    throw new UsageError('--gpu-kind and --vm-size exclude each other.', {
      hint: 'A GPU kind is the GPU layout; a VM size is the CPU layout. Pick one.',
    });
  if (gpuKind !== undefined && bool(raw, 'forLocalGpu'))
    throw new UsageError('--gpu-kind and --for-local-gpu exclude each other.', {
      hint: '--for-local-gpu renders the GPU layout for the GPU of this machine; --gpu-kind for a (retired) Fly GPU kind.',
    });
  if (bool(raw, 'force') && bool(raw, 'skip'))
    throw new UsageError('--force and --skip exclude each other.', { hint: '--force overwrites conflicting files; --skip keeps them.' });
  const choices = checkChoices({
    app: str(raw, 'app'),
    region: str(raw, 'region'),
    gpuKind,
    vmSize: size,
    workload: str(raw, 'workload'),
    port: str(raw, 'port'),
    volumeSize: str(raw, 'volumeSize'),
    cmd: str(raw, 'cmd'),
    memory: str(raw, 'memory'),
    ...(bool(raw, 'forLocalGpu') ? { forLocalGpu: true } : {}),
  });
  return {
    dir: str(raw, 'dir'),
    choices,
    yes: bool(raw, 'yes'),
    force: bool(raw, 'force'),
    skip: bool(raw, 'skip'),
    dryRun: bool(raw, 'dryRun'),
  };
}

export const initCommand = defineCommand({
  name: 'init',
  summary: 'Write a fly.toml, Dockerfile, .dockerignore and start script tuned for a GPU or CPU target and a workload',
  description:
    'Renders the files from templates for a target (a Fly VM size, or a Fly GPU kind: retired on Fly, rendered for\n' +
    'migration and for running the image elsewhere) and a workload profile (inference, batch, backtest, training).\n' +
    'Existing files are compared first: identical ones are left alone, an existing fly.toml or .dockerignore is\n' +
    'edited in place (your comments and keys stay), and a file that differs is a conflict: asked about on a terminal,\n' +
    'refused elsewhere unless --force or --skip. The inputs are recorded in .gpuctl.json so that running init again\n' +
    'reproduces the files. Every layout also gets prometheus/gpuctl-alerts.yml (alerting rules: a CPU layout the\n' +
    "application's error rate only), a GPU layout prometheus/gpuctl-dashboard.json beside it (a Grafana dashboard with\n" +
    "the workload's thresholds): docs/alerts.md. Ctrl-C in a question writes nothing (exit 130).",
  options,
  examples: [
    ['gpuctl init', 'on a terminal: answer a few questions (the local GPU is suggested)'],
    ['gpuctl init --yes --workload batch --vm-size performance-4x', 'in CI: no questions'],
    ['gpuctl init --gpu-kind l40s --workload inference --dir gpu-layout', 'the GPU layout, to migrate from or run elsewhere'],
    ['gpuctl init --for-local-gpu --workload batch', "Dockerfile and compose.yaml for this machine's GPU, tuned to its memory"],
    ['gpuctl init --vm-size performance-8x --memory 32768', "the CPU layout with a GPU preset's 32 GB (performance-8x has 16 of its own)"],
    ['gpuctl init --dry-run', 'show what would change against the files on disk'],
    ['gpuctl init --json --yes', 'typed result: every file with create|identical|conflict|overwrite|skip'],
  ],
  parse: parseInitFlags,
  run: async (options, ctx) => {
    const [
      { runInit },
      { initJson, renderInit, refusal },
      { hintLine },
      { colourDiff },
      { diffOf },
      { renderAlertRules },
      { thresholdsFor },
      { renderDashboard },
    ] = await Promise.all([
      import('../init/run.js'),
      import('../init/result.js'),
      import('../init/ask.js'),
      import('../init/conflicts.js'),
      import('../init/plan.js'),
      import('../alerts/rules.js'),
      import('../alerts/profiles.js'),
      import('../alerts/dashboard.js'),
    ]);
    // Around the questions (the prompt library draws those on the terminal), gpuctl's own lines go to stderr from here.
    const outcome = await runInit(options, ctx, {
      monitoring: (workload, gpus) => {
        // A CPU layout: the application's rules only, and no dashboard (docs/alerts.md says why).
        if (gpus === 0) return { rules: renderAlertRules(thresholdsFor(workload, { layout: 'cpu' })), dashboard: null };
        const t = thresholdsFor(workload, { expectGpus: gpus });
        return { rules: renderAlertRules(t), dashboard: renderDashboard(t) };
      },
      events: {
        detected: (hint) => ctx.stderr.write(`${ctx.style.cyan('→')} ${hintLine(hint)}\n`),
        asking: (file) => void (file.note ? ctx.stderr.write(`${ctx.style.yellow('!')} ${file.note}\n`) : undefined),
        diff: (file) => ctx.stderr.write(colourDiff(diffOf(file), ctx)),
      },
    });
    ctx.print(initJson(outcome), (_, style) => renderInit(outcome, style));
    // One failure, printed one way: its --json document carries it under `error`, people get "Error:/Hint:".
    if (outcome.refused) throw refusal(outcome.files).asReported();
    return ExitCode.ok;
  },
});
