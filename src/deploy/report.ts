/** The result of `gpuctl deploy`: the `--json` contract (schemaVersion 1) and what the summaries show. */
import type { FlyMachine } from '../flyio/schemas.js';
import type { ErrorJson } from '../ui/output.js';
import type { PreflightRow } from './preflight.js';
import type { AtRest, RolloutProblem } from '../flyio/machines.js';
import type { GpuCheck } from './verify-gpu.js';

export type DeployOutcome = 'deployed' | 'dry-run' | 'preflight-failed' | 'deploy-failed' | 'unhealthy' | 'gpu-missing';

export interface MachineSummary {
  id: string;
  region: string;
  state: string;
  /**
   * Not started and where it should be: a --ha standby, left stopped by flyctl deploy, or `autostop`: it passed during
   * the wait and Fly's proxy then stopped it (no traffic); null otherwise. Add-only in schemaVersion 1.
   */
  atRest: AtRest | null;
  processGroup: string;
  release: number | null;
  checks: { passing: number; total: number };
}

export interface DeployReport {
  schemaVersion: 1;
  ok: boolean;
  outcome: DeployOutcome;
  app: string | null;
  preflight: PreflightRow[];
  release: { version: number; image: string | null } | null;
  previousRelease: { version: number; image: string | null } | null;
  machines: MachineSummary[];
  regions: string[];
  checks: { passing: number; total: number };
  problems: RolloutProblem[];
  gpu: GpuCheck[] | null;
  rollback: { toVersion: number; image: string; release: number | null; healthy: boolean; error: string | null } | null;
  /** --dry-run: the flyctl commands it would run; otherwise those that changed the app. */
  commands: string[];
  durationMs: number;
  logFile: string | null;
  error: ErrorJson | null;
}

export function summarizeMachines(
  machines: readonly FlyMachine[],
  atRest: Readonly<Record<string, AtRest>> = {},
): Pick<DeployReport, 'machines' | 'regions' | 'checks'> {
  const summaries = machines.map((m) => ({
    id: m.id,
    region: m.region,
    state: m.state,
    atRest: atRest[m.id] ?? null,
    processGroup: m.processGroup,
    release: m.releaseVersion,
    checks: { passing: m.checks.filter((c) => c.status === 'passing').length, total: m.checks.length },
  }));
  return {
    machines: summaries,
    regions: [...new Set(machines.map((m) => m.region))].sort(),
    checks: summaries.reduce((sum, m) => ({ passing: sum.passing + m.checks.passing, total: sum.total + m.checks.total }), {
      passing: 0,
      total: 0,
    }),
  };
}

export function emptyReport(app: string | undefined): DeployReport {
  return {
    schemaVersion: 1,
    ok: false,
    outcome: 'preflight-failed',
    app: app ?? null,
    preflight: [],
    release: null,
    previousRelease: null,
    machines: [],
    regions: [],
    checks: { passing: 0, total: 0 },
    problems: [],
    gpu: null,
    rollback: null,
    commands: [],
    durationMs: 0,
    logFile: null,
    error: null,
  };
}
