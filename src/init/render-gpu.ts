/**
 * The GPU side of rendering, pure: what the GPU Dockerfile is built for (a Fly GPU kind, or the GPU
 * of this machine for --for-local-gpu), its tuning, and compose.yaml, which runs that image here
 * with the GPU reserved.
 */
import { FLY_GPU_RETIRED_ON } from '../flyio/gpu-kinds.js';
import type { InitInputs } from './inputs.js';
import { cudaImageVersion } from './images.js';
import type { LocalGpu } from './local-gpu.js';
import type { WorkloadProfile } from '../shared/profiles.js';
import type { GpuFacts, Precision } from './target.js';
import { fill, type Templates } from './templates.js';
import { frameworkEnv, tuneFor, type Tuning } from './tuning.js';

/** What the GPU Dockerfile is for. */
export interface GpuBuild {
  name: string;
  /** "Fly GPU kind l40s", "this machine", "8 GPUs on this machine". */
  where: string;
  /** "on Fly", "on this machine": where the driver below runs. */
  driverWhere: string;
  computeCapability: string;
  driverVersion: string;
  maxCuda: string;
  cudaImage: string;
  precision: Precision;
  tuning: Tuning;
  count: number;
}

export function flyGpuBuild(gpu: GpuFacts, workload: InitInputs['workload']): GpuBuild {
  const memoryGB = gpu.profile.memoryGB;
  if (memoryGB === null) throw new Error(`The catalogue has no memory size for ${gpu.profile.id}.`);
  return {
    name: gpu.profile.displayName,
    where: `Fly GPU kind ${gpu.kind}`,
    driverWhere: 'on Fly',
    computeCapability: gpu.computeCapability,
    driverVersion: gpu.driverVersion,
    maxCuda: gpu.maxCuda,
    cudaImage: cudaImageVersion(gpu.maxCuda),
    precision: gpu.profile.bestPrecision,
    tuning: tuneFor(workload, memoryGB, 1),
    count: 1,
  };
}

export function localGpuBuild(local: LocalGpu, workload: InitInputs['workload']): GpuBuild {
  const count = local.indices.length;
  return {
    name: local.profile.derived ? local.name : local.profile.displayName,
    where: count > 1 ? `${count} GPUs on this machine` : 'this machine',
    driverWhere: 'on this machine',
    computeCapability: local.computeCapability,
    driverVersion: local.driverVersion,
    maxCuda: local.maxCuda,
    cudaImage: local.cudaImage,
    precision: local.profile.bestPrecision,
    tuning: tuneFor(workload, local.memoryGB, count),
    count,
  };
}

/** The Dockerfile's ENV lines for the framework variables, each under a comment saying why. */
export function frameworkEnvLines(build: GpuBuild): string {
  return frameworkEnv(build.tuning, build.count)
    .map((v) => `# ${v.why}\nENV ${v.name}=${v.value}`)
    .join('\n');
}

export function gpuSummary(build: GpuBuild): string {
  return build.count > 1 ? `${build.count} × ${build.name}` : build.name;
}

/** fly.toml's notice for --for-local-gpu: this file is the CPU layout for Fly; the GPU one is compose.yaml. */
export function localNotice(t: Templates, build: GpuBuild): string {
  return fill(
    t['fly-local-gpu.toml'],
    { retirement: `Fly retired GPU Machines on ${FLY_GPU_RETIRED_ON}`, gpuName: gpuSummary(build) },
    'fly-local-gpu.toml',
  );
}

export interface ComposeData {
  inputs: InitInputs;
  profile: WorkloadProfile;
  build: GpuBuild;
  local: LocalGpu;
  killReason: string;
  modelDir: string;
  metricsPort: number;
  /** gpuctl agent's thresholds, as fly.toml's [env] gives them. */
  agent: { interval: string; maxTempC: number };
}

export function renderCompose(t: Templates, d: ComposeData): string {
  const { inputs, build } = d;
  const env: Array<[string, string | number]> = [
    ['GPUCTL_WORKLOAD', inputs.workload],
    ['GPUCTL_DEVICE', 'cuda'],
    ['GPUCTL_PRECISION', build.precision],
    ['GPUCTL_BATCH_SIZE', build.tuning.batchSize],
    ['GPUCTL_GPU_MEMORY_FRACTION', build.tuning.memoryFraction.toFixed(2)],
    ['GPUCTL_MODEL_DIR', d.modelDir],
    ['GPUCTL_PORT', inputs.port],
    ['GPUCTL_METRICS_PORT', d.metricsPort],
    // gpuctl agent (started by gpuctl-start.sh) fails /gpu-health when a reserved GPU goes missing.
    ['GPUCTL_AGENT_INTERVAL', d.agent.interval],
    ['GPUCTL_AGENT_MAX_TEMP_C', d.agent.maxTempC],
    ['GPUCTL_AGENT_EXPECT_GPUS', d.local.indices.length],
  ];
  const ids = d.local.indices;
  return fill(
    t['compose.yaml'],
    {
      app: inputs.app,
      workload: inputs.workload,
      gpuSummary: gpuSummary(build),
      port: inputs.port,
      metricsPort: d.metricsPort,
      environment: env.map(([k, v]) => `      ${k}: '${v}'`).join('\n'),
      modelDir: d.modelDir,
      shmSize: build.count > 1 || inputs.workload === 'training' ? '8gb' : '2gb',
      killReason: d.killReason,
      killTimeout: d.profile.killTimeoutS,
      deviceIds: `${ids.length > 1 ? 'GPUs' : 'GPU'} ${ids.join(', ')}`,
      deviceIdList: ids.map((i) => `'${i}'`).join(', '),
    },
    'compose.yaml',
  );
}
