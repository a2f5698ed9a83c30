/**
 * Rendering, pure: the inputs decide every value (renderData), the templates give the text
 * (renderFiles). Same inputs and templates, same bytes: no clock, no version, no environment.
 */
import { CPU_FALLBACK_SIZE, retirementMessage } from '../flyio/gpu-kinds.js';
import { cpuInitCommandFor, cpuLayoutFix, type CpuLayoutGuest } from '../flyio/cpu-layout.js';
import type { InitInputs } from './inputs.js';
import { NODE_MAJOR, UBUNTU_VERSION } from './images.js';
import type { LocalGpu } from './local-gpu.js';
import { PROFILES, type WorkloadProfile } from '../shared/profiles.js';
import { flyGpuBuild, frameworkEnvLines, localGpuBuild, localNotice, renderCompose, type GpuBuild } from './render-gpu.js';
import { recordOf, RECORD_FILE, renderRecord } from './record.js';
import { cpuFacts, gpuFacts, memoryFor, memoryString, precisionFor, type GpuFacts, type Precision } from './target.js';
import { fill, type Templates } from './templates.js';
import { LAYOUT_AGENT_PORT } from '../shared/agent-metrics.js';
import { START_SCRIPT } from '../shared/init-files.js';

/** gpuctl agent's port: fly.toml's [metrics] and [checks.gpu], GPUCTL_METRICS_PORT for gpuctl-start.sh. */
export const METRICS_PORT = LAYOUT_AGENT_PORT;
export const AGENT_INTERVAL = '5s';
export const AGENT_MAX_TEMP_C = 85;
export const MODEL_DIR = '/models';

export interface RenderedFile {
  /** Relative to the target directory. */
  path: string;
  content: string;
  mode: number;
  /** fly.toml: what gpuctl's own comment lines look like (any layout), so an update can tell them from the user's. */
  ownComments?: readonly RegExp[];
  /** A binary file: `content` is then its fingerprint (what plan and diff compare), `bytes` what is written. */
  bytes?: Uint8Array;
}

/** Every comment line of the fly.toml templates as a pattern (a placeholder matches anything); the first is the header's first line. */
export function ownCommentPatterns(t: Templates): RegExp[] {
  const sources = [t['fly.toml'], t['fly-retired.toml'], t['fly-local-gpu.toml'], t['fly-vm-cpu.toml'], t['fly-vm-gpu.toml']];
  const lines = sources.flatMap((text) => text.split('\n').map((line) => line.trim()));
  const comments = [...new Set(lines.filter((line) => line.startsWith('#') && line !== '#'))];
  return comments.map(
    (line) =>
      new RegExp(
        `^${line
          .split(/\{\{\w+\}\}/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
}

export interface RenderData {
  inputs: InitInputs;
  profile: WorkloadProfile;
  device: 'cuda' | 'cpu';
  precision: Precision;
  memoryMb: number;
  cpus: number;
  /** The Fly GPU kind fly.toml describes (retired); null for a CPU layout, --for-local-gpu included. */
  gpu: GpuFacts | null;
  /** What the GPU Dockerfile is built and tuned for: the Fly GPU kind, or this machine's GPU; null for the CPU image. */
  build: GpuBuild | null;
  /** --for-local-gpu: the GPU compose.yaml reserves. */
  local: LocalGpu | null;
  /** Shown (and written into fly.toml) for GPU layouts: the init command for the deployable CPU layout. */
  cpuCommand: string | null;
  dirName: string;
}

const KILL_REASON: Record<WorkloadProfile['id'], string> = {
  inference: 'finish in-flight requests',
  batch: 'finish the running batch',
  backtest: 'finish or checkpoint the running job',
  training: 'write a checkpoint',
};

/** A GPU layout's guest as its fly.toml writes it (the kind's memory, raised to the workload's): the CPU layout keeps that memory. */
export function gpuLayoutGuest(inputs: InitInputs): CpuLayoutGuest {
  const memory = memoryFor(inputs.target, PROFILES[inputs.workload].minMemoryMb);
  return { fromPreset: false, ...('memoryMb' in memory ? { memory: memoryString(memory.memoryMb) } : {}) };
}

export function cpuCommandFor(inputs: InitInputs, dirArg?: string): string {
  return cpuInitCommandFor(gpuLayoutGuest(inputs), dirArg);
}

export function renderData(inputs: InitInputs, dirName: string, local: LocalGpu | null = null): RenderData {
  const profile = PROFILES[inputs.workload];
  const memory = memoryFor(inputs.target, profile.minMemoryMb, inputs.memoryMb);
  if (!('memoryMb' in memory)) throw new Error('renderData needs compatible inputs (resolveInputs checks them)');
  if (inputs.forLocalGpu !== (local !== null)) throw new Error('renderData needs the detected GPU exactly when --for-local-gpu is set');
  const gpu = inputs.target.kind === 'gpu' ? gpuFacts(inputs.target.gpuKind) : null;
  const build = gpu ? flyGpuBuild(gpu, inputs.workload) : local ? localGpuBuild(local, inputs.workload) : null;
  return {
    inputs,
    profile,
    device: gpu ? 'cuda' : 'cpu',
    precision: precisionFor(gpu?.profile ?? null),
    memoryMb: memory.memoryMb,
    cpus: gpu ? gpu.cpus : cpuFacts(inputs.target.kind === 'cpu' ? inputs.target.vmSize : CPU_FALLBACK_SIZE).cpus,
    gpu,
    build,
    local,
    cpuCommand: gpu ? cpuCommandFor(inputs) : null,
    dirName,
  };
}

function envLines(d: RenderData): string {
  const env: Array<[string, string | number]> = [
    ['GPUCTL_WORKLOAD', d.inputs.workload],
    ['GPUCTL_DEVICE', d.device],
    ['GPUCTL_PRECISION', d.precision],
    ['GPUCTL_BATCH_SIZE', d.gpu && d.build ? d.build.tuning.batchSize : d.profile.batchSize.cpu],
    ...(d.gpu && d.build ? [['GPUCTL_GPU_MEMORY_FRACTION', d.build.tuning.memoryFraction.toFixed(2)] as [string, string]] : []),
    ['GPUCTL_CPU_THREADS', d.cpus],
    ['GPUCTL_MODEL_DIR', MODEL_DIR],
    ['GPUCTL_PORT', d.inputs.port],
    ['GPUCTL_METRICS_PORT', METRICS_PORT],
    // gpuctl agent's thresholds for /gpu-health (gpuctl agent --help).
    ['GPUCTL_AGENT_INTERVAL', AGENT_INTERVAL],
    ['GPUCTL_AGENT_MAX_TEMP_C', AGENT_MAX_TEMP_C],
    ...(d.gpu ? [['GPUCTL_AGENT_EXPECT_GPUS', 1] as [string, number]] : []),
  ];
  return env.map(([key, value]) => `  ${key} = '${value}'`).join('\n');
}

export function renderFlyToml(t: Templates, d: RenderData): string {
  const { inputs, profile, gpu } = d;
  const vm = gpu
    ? fill(
        t['fly-vm-gpu.toml'],
        { gpuName: gpu.profile.displayName, cpus: gpu.cpus, memory: memoryString(d.memoryMb), gpuKind: gpu.kind },
        'fly-vm-gpu.toml',
      )
    : fill(
        t['fly-vm-cpu.toml'],
        { size: inputs.target.kind === 'cpu' ? inputs.target.vmSize : '', memory: memoryString(d.memoryMb) },
        'fly-vm-cpu.toml',
      );
  const retired =
    gpu && d.cpuCommand
      ? fill(
          t['fly-retired.toml'],
          { retirement: retirementMessage(gpu.kind), cpuFix: cpuLayoutFix(gpuLayoutGuest(inputs), d.cpuCommand) },
          'fly-retired.toml',
        )
      : d.local && d.build
        ? localNotice(t, d.build)
        : '';
  return fill(
    t['fly.toml'],
    {
      app: inputs.app,
      workload: inputs.workload,
      targetLabel: gpu ? `Fly GPU kind ${gpu.kind}` : `${inputs.target.kind === 'cpu' ? inputs.target.vmSize : ''} (CPU)`,
      retired: retired.trimEnd(),
      region: inputs.region,
      killReason: KILL_REASON[inputs.workload],
      killTimeout: profile.killTimeoutS,
      swapMb: profile.swapMb[gpu ? 'gpu' : 'cpu'],
      env: envLines(d),
      strategy: profile.strategy,
      waitTimeout: profile.waitTimeout,
      port: inputs.port,
      autoStop: profile.autoStop,
      minMachines: profile.minMachinesRunning,
      softLimit: profile.concurrency.soft,
      hardLimit: profile.concurrency.hard,
      deviceCheck: gpu ? 'the health of every GPU of the machine' : 'here "cpu fallback" (200): a CPU layout has no GPU',
      volumeGb: inputs.volumeGb,
      vm: vm.trimEnd(),
      metricsPort: METRICS_PORT,
    },
    'fly.toml',
  );
}

export function renderDockerfile(t: Templates, d: RenderData): string {
  const common = {
    app: d.inputs.app,
    workload: d.inputs.workload,
    ubuntuVersion: UBUNTU_VERSION,
    nodeMajor: NODE_MAJOR,
    metricsPort: METRICS_PORT,
    port: d.inputs.port,
    cmdJson: `[${d.inputs.cmd.map((w) => JSON.stringify(w)).join(', ')}]`,
  };
  const b = d.build;
  if (b) {
    return fill(
      t['Dockerfile.gpu'],
      {
        ...common,
        gpuName: b.count > 1 ? `${b.count} × ${b.name}` : b.name,
        gpuWhere: b.where,
        smArch: b.computeCapability.replace('.', ''),
        computeCapability: b.computeCapability,
        driverVersion: b.driverVersion,
        driverWhere: b.driverWhere,
        maxCuda: b.maxCuda,
        cudaVersion: b.cudaImage,
        frameworkEnv: frameworkEnvLines(b),
      },
      'Dockerfile.gpu',
    );
  }
  const size = cpuFacts(d.inputs.target.kind === 'cpu' ? d.inputs.target.vmSize : CPU_FALLBACK_SIZE);
  return fill(t['Dockerfile.cpu'], { ...common, size: size.name, cpus: size.cpus, cpuKind: size.cpuKind }, 'Dockerfile.cpu');
}

/** Every file init writes, in the order it reports them. */
export function renderFiles(t: Templates, d: RenderData): RenderedFile[] {
  return [
    { path: 'fly.toml', content: renderFlyToml(t, d), mode: 0o644, ownComments: ownCommentPatterns(t) },
    { path: 'Dockerfile', content: renderDockerfile(t, d), mode: 0o644 },
    { path: '.dockerignore', content: fill(t.dockerignore, {}, 'dockerignore'), mode: 0o644 },
    { path: START_SCRIPT, content: fill(t[START_SCRIPT], {}, START_SCRIPT), mode: 0o755 },
    ...(d.local && d.build
      ? [
          {
            path: 'compose.yaml',
            content: renderCompose(t, {
              inputs: d.inputs,
              profile: d.profile,
              build: d.build,
              local: d.local,
              killReason: KILL_REASON[d.inputs.workload],
              modelDir: MODEL_DIR,
              metricsPort: METRICS_PORT,
              agent: { interval: AGENT_INTERVAL, maxTempC: AGENT_MAX_TEMP_C },
            }),
            mode: 0o644,
          },
        ]
      : []),
    { path: RECORD_FILE, content: renderRecord(recordOf(d.inputs, d.dirName)), mode: 0o644 },
  ];
}
