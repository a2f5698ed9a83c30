/**
 * What validate reports, and the catalogue of its rules (documented in docs/init-validate.md; a test
 * holds every rule to a failing and a passing fixture).
 */
import { ExitCode } from '../errors.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  id: RuleId;
  severity: Severity;
  /** The path as given to validateFiles. */
  file: string;
  /** 1-based. */
  line: number;
  column?: number;
  message: string;
  fix: string;
}

export interface RuleInfo {
  severity: Severity;
  file: 'fly.toml' | 'Dockerfile' | 'compose.yaml';
  summary: string;
}

export const RULES = {
  'toml-syntax': { severity: 'error', file: 'fly.toml', summary: 'fly.toml is not valid TOML or not UTF-8 (exit 2)' },
  'fly-gpu-retired': { severity: 'error', file: 'fly.toml', summary: 'a GPU guest on Fly: retired on 2026-08-01' },
  'gpu-kind-size-alias': {
    severity: 'error',
    file: 'fly.toml',
    summary: 'gpu_kind holds a size preset (a100-40gb) instead of a kind (a100-pcie-40gb)',
  },
  'gpu-kind-unknown': { severity: 'error', file: 'fly.toml', summary: 'gpu_kind is not a GPU kind Fly ever offered' },
  'gpus-without-gpu-kind': { severity: 'error', file: 'fly.toml', summary: 'gpus is set without gpu_kind' },
  'region-unknown': { severity: 'error', file: 'fly.toml', summary: 'primary_region is not a Fly.io region' },
  'vm-size-unknown': { severity: 'error', file: 'fly.toml', summary: '[[vm]] size is not a Fly preset' },
  'service-check-duration': {
    severity: 'warning',
    file: 'fly.toml',
    summary: 'a service check duration over 60 s (lowered) or under 1 s (raised)',
  },
  'check-interval-too-short': { severity: 'error', file: 'fly.toml', summary: 'a top-level check interval under 2 s' },
  'check-timeout-too-long': { severity: 'error', file: 'fly.toml', summary: 'a top-level check timeout over 60 s' },
  'check-type-invalid': { severity: 'error', file: 'fly.toml', summary: "a top-level check without type 'http' or 'tcp'" },
  'port-not-served': {
    severity: 'warning',
    file: 'fly.toml',
    summary: 'a [metrics] port or /gpu-health check port that nothing in the layout serves',
  },
  'suspend-with-gpu': { severity: 'error', file: 'fly.toml', summary: 'auto_stop_machines = "suspend" with a GPU' },
  'env-fly-prefix': { severity: 'error', file: 'fly.toml', summary: '[env] names starting with FLY_' },
  'deploy-strategy-unknown': { severity: 'error', file: 'fly.toml', summary: 'an unknown [deploy] strategy' },
  'bluegreen-without-checks': { severity: 'error', file: 'fly.toml', summary: 'bluegreen without a health check' },
  'bluegreen-with-volumes': { severity: 'error', file: 'fly.toml', summary: 'bluegreen with [[mounts]]' },
  'canary-with-volumes': { severity: 'error', file: 'fly.toml', summary: 'canary with [[mounts]]' },
  'process-group-unknown': {
    severity: 'error',
    file: 'fly.toml',
    summary: 'a service or [[restart]] names a process group that [processes] does not define',
  },
  'service-processes-missing': {
    severity: 'error',
    file: 'fly.toml',
    summary: 'a service without processes in an app with [processes]',
  },
  'service-without-ports': { severity: 'warning', file: 'fly.toml', summary: 'a [[services]] without [[services.ports]]' },
  'restart-policy-invalid': { severity: 'error', file: 'fly.toml', summary: 'a [[restart]] policy other than always, never, on-failure' },
  'mount-size-invalid': {
    severity: 'error',
    file: 'fly.toml',
    summary: 'a [[mounts]] size under 1 GB, or auto-extend keys missing one another or out of range',
  },
  'command-unsplittable': {
    severity: 'error',
    file: 'fly.toml',
    summary: 'a release_command, [processes] command or console_command with a quote left open or a trailing backslash',
  },
  'vm-memory-too-large': {
    severity: 'error',
    file: 'fly.toml',
    summary: "[[vm]] memory over its size preset's limit (2048 MB per shared CPU, 8192 MB per performance CPU)",
  },
  'kill-timeout-too-long': { severity: 'warning', file: 'fly.toml', summary: 'kill_timeout over 300 s' },
  'memory-below-workload': { severity: 'warning', file: 'fly.toml', summary: 'machine memory below what the workload profile needs' },
  'fly-value-type': {
    severity: 'error',
    file: 'fly.toml',
    summary: "a value of the wrong type or out of range for its key (flyctl's config types and checks: app = 42, cpus = -4)",
  },
  'fly-unknown-key': {
    severity: 'warning',
    file: 'fly.toml',
    summary: "a section or key flyctl's config model does not have (flyctl ignores it), with the nearest known key",
  },
  'fly-autoscaling-block': {
    severity: 'warning',
    file: 'fly.toml',
    summary: 'an [[autoscaling]] block: no fly.toml section; the policy belongs to gpuctl autoscale',
  },
  'gpu-without-volume': { severity: 'warning', file: 'fly.toml', summary: 'a GPU layout without a volume for model weights' },
  'dockerfile-missing': { severity: 'error', file: 'fly.toml', summary: '[build] dockerfile names a file that does not exist' },
  'build-image-invalid': {
    severity: 'error',
    file: 'fly.toml',
    summary: "[build] image is not a container image reference (docker's reference grammar)",
  },
  'dockerfile-syntax': {
    severity: 'error',
    file: 'Dockerfile',
    summary:
      'docker build refuses the Dockerfile before running anything: no FROM, an instruction that does not exist, an instruction without the arguments it needs, a bad escape directive (exit 2)',
  },
  'dockerfile-driver-packages': {
    severity: 'error',
    file: 'Dockerfile',
    summary: 'installs NVIDIA driver packages (the platform supplies the driver)',
  },
  'dockerfile-cuda-too-new': { severity: 'error', file: 'Dockerfile', summary: "a CUDA userland newer than the target's driver runs" },
  'dockerfile-runs-as-root': { severity: 'warning', file: 'Dockerfile', summary: 'the application runs as root' },
  'dockerfile-missing-file': {
    severity: 'error',
    file: 'Dockerfile',
    summary: 'a COPY source, or the module a `python3 -m` CMD runs, is not in the build context',
  },
  'dockerfile-devel-runtime': {
    severity: 'warning',
    file: 'Dockerfile',
    summary: 'the runtime image is a CUDA devel image (no multi-stage build)',
  },
  'compose-syntax': { severity: 'error', file: 'compose.yaml', summary: 'compose.yaml is not valid YAML or has no services (exit 2)' },
  'compose-gpu-reservation-missing': {
    severity: 'error',
    file: 'compose.yaml',
    summary: 'a GPU service (GPUCTL_DEVICE=cuda) without deploy.resources.reservations.devices; a warning when no service reserves a GPU',
  },
  'compose-gpu-reservation-invalid': {
    severity: 'error',
    file: 'compose.yaml',
    summary:
      'a GPU device request without capabilities [gpu], with a driver other than nvidia, with both count and device_ids, or a bad count',
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

/** Findings that mean a file could not be read at all: validate exits 2 for these. */
export const PARSE_FAILURES: ReadonlySet<RuleId> = new Set<RuleId>(['toml-syntax', 'dockerfile-syntax', 'compose-syntax']);

export function exitCodeFor(findings: readonly Finding[]): ExitCode {
  if (findings.some((f) => PARSE_FAILURES.has(f.id))) return ExitCode.usage;
  return findings.some((f) => f.severity === 'error') ? ExitCode.failed : ExitCode.ok;
}

export function finding(
  id: RuleId,
  file: string,
  place: { line: number; column?: number },
  message: string,
  fix: string,
  severity?: Severity,
): Finding {
  return {
    id,
    severity: severity ?? RULES[id].severity,
    file,
    line: place.line,
    ...(place.column ? { column: place.column } : {}),
    message,
    fix,
  };
}
