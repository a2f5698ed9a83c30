/** `gpuctl doctor`, decided: facts gathered by probe.ts in, one row per check out. Pure. */
import { compareCuda } from '../gpu/cuda-driver.js';
import type { NvccInfo } from '../gpu/nvcc.js';
import { smFor } from '../gpu/nvcc.js';
import { FLYCTL_GPU_REMOVED_IN } from '../flyio/gpu-kinds.js';
import { compareSemver } from '../flyio/flyctl.js';
import { ExitCode } from '../errors.js';
import type { CheckId } from './checks.js';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export { CHECK_IDS, OPTIONAL_CHECKS, type CheckId, type OptionalCheckId } from './checks.js';

export interface CheckRow {
  id: CheckId;
  name: string;
  status: CheckStatus;
  detail: string;
  remedy: string | null;
}

/** error's remedy: what the failure itself says to do (a GpuctlError's hint), when the row's usual remedy does not fit. */
export type Probe<T> = { kind: 'absent' } | { kind: 'error'; message: string; remedy?: string } | ({ kind: 'ok' } & T);

export interface DoctorFacts {
  nodeVersion: string;
  gpu: Probe<{ driverVersion: string | null; cudaVersion: string | null; gpus: Array<{ name: string; computeCapability: string | null }> }>;
  nvcc: NvccInfo;
  /** hung: `flyctl version` did not answer within the adapter's timeout. */
  flyctl: Probe<{ version: string }> | { kind: 'hung'; seconds: number };
  flyAuth: Probe<{ email: string }> | { kind: 'skipped' };
  tokenInEnv: boolean;
  docker: Probe<{ version: string }>;
  /** The container engine `gpuctl smoke` would use: the first of docker ($DOCKER) and podman whose `info` answers. */
  engine: Probe<{ name: 'docker' | 'podman'; version: string | null }>;
  /** Whether this gpuctl ships the prebuilt benchmark binary (a packed install: dist/native/gpuctl-bench). */
  benchPrebuilt?: boolean;
}

/**
 * bench's support matrix: GPUs of compute capability 7.5 (Turing) or newer; a binary built with CUDA
 * 13.x needs an R580+ driver, one built with CUDA 12.4-12.9 an R525+ driver (minor-version
 * compatibility); the prebuilt fat binary is built with CUDA 13.0. --cpu needs neither.
 */
export const PREBUILT_CUDA = '13.0';

const MIN_NODE = '20.19.0';

function row(id: CheckId, name: string, status: CheckStatus, detail: string, remedy: string | null = null): CheckRow {
  return { id, name, status, detail, remedy };
}

function nodeRow(version: string): CheckRow {
  return compareSemver(version, MIN_NODE) >= 0
    ? row('node', 'Node.js', 'pass', `v${version}`)
    : row('node', 'Node.js', 'fail', `v${version} is older than v${MIN_NODE}`, 'Install Node.js 20.19 or newer.');
}

function gpuRow(gpu: DoctorFacts['gpu']): CheckRow {
  if (gpu.kind === 'absent')
    return row(
      'gpu',
      'NVIDIA driver',
      'warn',
      'nvidia-smi not found: no NVIDIA GPU here',
      'Needed for `gpuctl bench` on a GPU; `gpuctl bench --cpu` works without.',
    );
  if (gpu.kind === 'error')
    return row('gpu', 'NVIDIA driver', 'fail', gpu.message, gpu.remedy ?? 'Run `nvidia-smi` to see the driver error.');
  const names = [...new Set(gpu.gpus.map((g) => g.name))].join(', ');
  return row(
    'gpu',
    'NVIDIA driver',
    'pass',
    `driver ${gpu.driverVersion ?? '?'} (CUDA ${gpu.cudaVersion ?? '?'}), ${gpu.gpus.length} × ${names}`,
  );
}

function nvccRow(nvcc: NvccInfo, gpu: DoctorFacts['gpu'], prebuilt: boolean): CheckRow {
  if (nvcc.kind === 'absent') {
    return prebuilt
      ? row(
          'nvcc',
          'nvcc',
          'warn',
          'not found',
          `\`gpuctl bench\` runs the prebuilt binary this gpuctl ships (dist/native, built with CUDA ${PREBUILT_CUDA}: needs an R580+ driver); install a CUDA toolkit (12.4+) to build for this GPU and driver.`,
        )
      : row(
          'nvcc',
          'nvcc',
          'warn',
          'not found; this gpuctl ships no prebuilt benchmark binary (a clone: only packed installs have dist/native)',
          '`gpuctl bench --cpu` builds the CPU suite with the host C++ compiler; for GPU runs install a CUDA toolkit (12.4+ with an R525+ driver, 13 with R580+).',
        );
  }
  if (nvcc.kind === 'broken') return row('nvcc', 'nvcc', 'fail', nvcc.message, nvcc.remedy ?? 'Reinstall the CUDA toolkit.');
  const span = nvcc.targets.length ? `targets ${nvcc.targets[0]}…${nvcc.targets.at(-1)}` : 'targets unknown';
  const needed = gpu.kind === 'ok' ? [...new Set(gpu.gpus.flatMap((g) => (g.computeCapability ? [smFor(g.computeCapability)] : [])))] : [];
  const missing = nvcc.targets.length ? needed.filter((sm) => !nvcc.targets.includes(sm)) : [];
  if (missing.length) {
    return row(
      'nvcc',
      'nvcc',
      'fail',
      `CUDA ${nvcc.version} cannot build for ${missing.join(', ')} (${span})`,
      'gpuctl bench needs Turing (sm_75) or newer; for a newer GPU use a toolkit that targets it (12.8+ for sm_100/sm_120, 13 for sm_110).',
    );
  }
  return row('nvcc', 'nvcc', 'pass', `CUDA ${nvcc.version}, ${span}`);
}

function compatRow(nvcc: NvccInfo, gpu: DoctorFacts['gpu'], prebuilt: boolean): CheckRow {
  if (nvcc.kind === 'absent' && prebuilt && gpu.kind === 'ok' && gpu.cudaVersion) {
    const name = 'Driver runs the prebuilt bench';
    return compareCuda(gpu.cudaVersion, PREBUILT_CUDA) >= 0
      ? row('cuda-compat', name, 'pass', `driver supports CUDA ${gpu.cudaVersion} ≥ ${PREBUILT_CUDA} (the prebuilt binary's)`)
      : row(
          'cuda-compat',
          name,
          'fail',
          `driver CUDA ${gpu.cudaVersion} cannot run the prebuilt binary (CUDA ${PREBUILT_CUDA}, needs an R580+ driver)`,
          'Upgrade the NVIDIA driver to R580+, or install a CUDA toolkit 12.4+ that this driver supports so that gpuctl builds one.',
        );
  }
  if (nvcc.kind !== 'ok' || gpu.kind !== 'ok' || !gpu.cudaVersion)
    return row('cuda-compat', 'Driver runs nvcc output', 'skip', 'needs both a driver and nvcc');
  const cmp = compareCuda(gpu.cudaVersion, nvcc.version);
  if (cmp >= 0)
    return row('cuda-compat', 'Driver runs nvcc output', 'pass', `driver supports CUDA ${gpu.cudaVersion} ≥ nvcc ${nvcc.version}`);
  const sameMajor = gpu.cudaVersion.split('.')[0] === nvcc.version.split('.')[0];
  return sameMajor
    ? row(
        'cuda-compat',
        'Driver runs nvcc output',
        'warn',
        `driver CUDA ${gpu.cudaVersion} < nvcc ${nvcc.version}: minor-version compatibility only (no PTX JIT)`,
        'Upgrade the driver, or build with an older toolkit.',
      )
    : row(
        'cuda-compat',
        'Driver runs nvcc output',
        'fail',
        `driver CUDA ${gpu.cudaVersion} cannot run binaries from nvcc ${nvcc.version}`,
        `Upgrade the NVIDIA driver to one supporting CUDA ${nvcc.version}.`,
      );
}

function flyctlRow(flyctl: DoctorFacts['flyctl']): CheckRow {
  if (flyctl.kind === 'absent')
    return row(
      'flyctl',
      'flyctl',
      'warn',
      'not found (FLYCTL, flyctl, fly)',
      'Install flyctl (https://fly.io/docs/flyctl/install/) for deploy, status and scale.',
    );
  if (flyctl.kind === 'error') return row('flyctl', 'flyctl', 'fail', flyctl.message, 'Reinstall flyctl.');
  // A flyctl that hangs is rarely a broken install: it is waiting on something.
  if (flyctl.kind === 'hung')
    return row(
      'flyctl',
      'flyctl',
      'fail',
      `flyctl version did not answer within ${flyctl.seconds} s`,
      'Run `flyctl version` yourself to see what it waits for (a proxy, the network); reinstall flyctl if it hangs there too.',
    );
  const gpuNote =
    compareSemver(flyctl.version, FLYCTL_GPU_REMOVED_IN) >= 0
      ? 'GPU flags removed (Fly GPUs retired)'
      : `older than v${FLYCTL_GPU_REMOVED_IN}: still offers GPU flags the API rejects`;
  return row('flyctl', 'flyctl', 'pass', `v${flyctl.version}; ${gpuNote}`);
}

function authRow(auth: DoctorFacts['flyAuth'], tokenInEnv: boolean): CheckRow {
  const via = tokenInEnv ? ' (token from the environment)' : '';
  if (auth.kind === 'skipped') return row('fly-auth', 'Fly authentication', 'skip', 'needs flyctl');
  if (auth.kind === 'ok') return row('fly-auth', 'Fly authentication', 'pass', `logged in as ${auth.email}${via}`);
  const message = auth.kind === 'error' ? auth.message : 'not logged in';
  return row(
    'fly-auth',
    'Fly authentication',
    'warn',
    `${message}${via}`,
    // A token that is set and refused: "set FLY_API_TOKEN" would send the reader back to what failed.
    tokenInEnv && /unauthori[sz]ed|\b401\b|invalid token|expired|revoked/i.test(message)
      ? 'Fly.io did not accept the token in FLY_API_TOKEN/FLY_ACCESS_TOKEN (expired or revoked?): create a new one (`fly tokens create deploy -a APP`), or unset it to use a `flyctl auth login` session.'
      : 'Run `flyctl auth login`, or set FLY_API_TOKEN (e.g. from `fly tokens create deploy`).',
  );
}

function dockerRow(docker: DoctorFacts['docker']): CheckRow {
  if (docker.kind === 'absent')
    return row(
      'docker',
      'Docker client',
      'warn',
      'not found',
      'Optional: flyctl builds remotely by default; install Docker for --local-only builds.',
    );
  if (docker.kind === 'error') return row('docker', 'Docker client', 'warn', docker.message);
  return row('docker', 'Docker client', 'pass', docker.version);
}

const ENGINE_REMEDY = 'Needed for `gpuctl smoke`: install Docker and start its daemon, or install Podman (apt-get install -y podman).';

function engineRow(engine: DoctorFacts['engine']): CheckRow {
  const name = 'Container engine';
  if (engine.kind === 'absent') return row('engine', name, 'warn', 'neither docker nor podman found', ENGINE_REMEDY);
  if (engine.kind === 'error') return row('engine', name, 'warn', engine.message, ENGINE_REMEDY);
  return row('engine', name, 'pass', `${engine.name}${engine.version ? ` ${engine.version}` : ''} (gpuctl smoke uses it)`);
}

/** `required` upgrades a warning on those checks to a failure (e.g. --require gpu,flyctl in CI). */
export function decideDoctor(facts: DoctorFacts, required: readonly CheckId[] = []): CheckRow[] {
  const rows = [
    nodeRow(facts.nodeVersion),
    gpuRow(facts.gpu),
    nvccRow(facts.nvcc, facts.gpu, facts.benchPrebuilt ?? false),
    compatRow(facts.nvcc, facts.gpu, facts.benchPrebuilt ?? false),
    flyctlRow(facts.flyctl),
    authRow(facts.flyAuth, facts.tokenInEnv),
    dockerRow(facts.docker),
    engineRow(facts.engine),
  ];
  return rows.map((r) => (required.includes(r.id) && (r.status === 'warn' || r.status === 'skip') ? { ...r, status: 'fail' } : r));
}

/** The checks that could not run because their tool or device is absent (not installed, not broken). */
export function missingChecks(facts: DoctorFacts): CheckId[] {
  const missing: CheckId[] = [];
  if (facts.gpu.kind === 'absent') missing.push('gpu');
  if (facts.nvcc.kind === 'absent') missing.push('nvcc');
  if (facts.gpu.kind === 'absent' || facts.nvcc.kind === 'absent') missing.push('cuda-compat');
  if (facts.flyctl.kind === 'absent') missing.push('flyctl', 'fly-auth');
  if (facts.docker.kind === 'absent') missing.push('docker');
  if (facts.engine.kind === 'absent') missing.push('engine');
  return missing;
}

/**
 * 0 when nothing fails; 3 (a required tool or device is missing, as the README's table says) when
 * every failure is a required check whose tool is absent; 1 when anything present failed.
 */
export function doctorExitCode(rows: readonly CheckRow[], missing: readonly CheckId[] = []): ExitCode {
  const failed = rows.filter((r) => r.status === 'fail');
  if (!failed.length) return ExitCode.ok;
  return failed.every((r) => missing.includes(r.id)) ? ExitCode.missing : ExitCode.failed;
}
