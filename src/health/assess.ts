/** `gpuctl health`: Fly's checks per machine plus the HTTP probes, judged together. Pure. */
import { autostopShortfalls, isIdle, machineProblems, restingState, restReason, type AtRest } from '../flyio/machines.js';
import type { FlyAppStatus, FlyChecksByMachine } from '../flyio/schemas.js';
import type { Style } from '../ui/style.js';
import { renderTable } from '../ui/table.js';
import { stoppedAdvice } from './advice.js';
import { conditionLine } from './gpu-body.js';
import { GPU_CHECK_NAME, type GpuCheckResult } from './gpu-check.js';
import type { ProbeResult } from './probe.js';

export interface HealthJson {
  schemaVersion: 1;
  healthy: boolean;
  app: string;
  hostname: string;
  release: number;
  machines: Array<{
    id: string;
    region: string;
    state: string;
    /**
     * Not started, and where it should be: a stopped --ha standby, idle by the proxy's autostop, or (`idle exit`) shut
     * down by itself with a service the proxy starts it for; null otherwise.
     */
    atRest: Exclude<AtRest, 'left by deploy'> | null;
    healthy: boolean;
    reasons: string[];
    /** An unhealthy stopped or suspended machine: why Fly left it so and what to do (advice.ts); null otherwise. Add-only. */
    advice: string | null;
    checks: Array<{ name: string; status: string; output: string }>;
  }>;
  http: ProbeResult[];
  /** The GPU verdict per machine from Fly's `gpu` check (the agent's /gpu-health on the private port); empty with --url. */
  gpu: GpuCheckResult[];
  /** Per process group whose services autostop: too few machines started (min_machines_running, auto_start_machines = false). */
  shortfalls: string[];
  /** Why the app is unhealthy, one line each; empty when healthy. */
  reasons: string[];
}

export interface HealthPolicy {
  /** --require-started: every machine but a stopped standby must be started; idle machines fail too. */
  requireStarted?: boolean;
}

/**
 * `gpu`: the verdicts read from Fly's `gpu` check, which then speak for that check (its conditions, not its raw body).
 * A machine at rest (a standby, or stopped by autostop) runs no checks, so its last gpu verdict is not a live one.
 */
export function assessHealth(
  status: FlyAppStatus,
  checks: FlyChecksByMachine,
  http: readonly ProbeResult[],
  gpu: readonly GpuCheckResult[] = [],
  policy: HealthPolicy = {},
): HealthJson {
  const rules = { autostop: !policy.requireStarted };
  const rest = new Map(status.machines.map((m) => [m.id, restReason(m, rules.autostop)]));
  const live = gpu.filter((g) => !rest.get(g.machine));
  const machines = status.machines.map((m) => {
    const own = checks[m.id] ?? m.checks;
    const judged = live.some((g) => g.machine === m.id);
    const reasons = machineProblems({ ...m, checks: judged ? own.filter((c) => c.name !== GPU_CHECK_NAME) : own }, undefined, rules);
    return {
      id: m.id,
      region: m.region,
      state: m.state,
      atRest: rest.get(m.id) ?? null,
      healthy: reasons.length === 0,
      reasons,
      advice: reasons.length === 0 ? null : stoppedAdvice(m, status.name, policy.requireStarted),
      checks: own.map(({ name, status: s, output }) => ({ name, status: s, output })),
    };
  });
  const shortfalls = policy.requireStarted ? [] : autostopShortfalls(status.machines);
  const reasons = [
    ...(machines.length === 0 ? ['the app has no machines'] : []),
    ...machines.flatMap((m) => m.reasons.map((r) => `machine ${m.id} (${m.region}) ${r}`)),
    ...shortfalls,
    ...live
      .filter((g) => g.verdict === 'failed')
      .flatMap((g) =>
        (g.conditions.length ? g.conditions.map(conditionLine) : [`check ${GPU_CHECK_NAME} is ${g.status}: ${g.detail}`]).map(
          (line) => `machine ${g.machine} (${g.region}) /gpu-health: ${line}`,
        ),
      ),
    ...http
      .filter((p) => p.verdict === 'failed')
      .flatMap((p) => (p.conditions?.length ? p.conditions.map((c) => `${p.path}: ${conditionLine(c)}`) : [`${p.path}: ${p.detail}`])),
  ];
  return {
    schemaVersion: 1,
    healthy: reasons.length === 0,
    app: status.name,
    hostname: status.hostname,
    release: status.releaseVersion,
    machines,
    http: [...http],
    gpu: live,
    shortfalls,
    reasons,
  };
}

/** Each failed condition a body named, one line each under its endpoint (or machine). */
function conditionLines(http: readonly ProbeResult[], gpu: readonly GpuCheckResult[], style: Style): string {
  const lines = [
    ...http.flatMap((p) => (p.conditions ?? []).map((c) => `  ${style.red('✗')} ${p.path}  ${conditionLine(c)}`)),
    ...gpu.flatMap((g) => g.conditions.map((c) => `  ${style.red('✗')} ${g.machine} /gpu-health  ${conditionLine(c)}`)),
  ];
  return lines.length ? `\n${lines.join('\n')}\n` : '';
}

/** What to do about each stopped machine that fails, one line each under the tables. */
function adviceLines(health: HealthJson, style: Style): string {
  const lines = health.machines.flatMap((m) => (m.advice ? [`  ${style.red('✗')} ${m.id}: ${m.advice}`] : []));
  return lines.length ? `\n${lines.join('\n')}\n` : '';
}

export function renderHealth(health: HealthJson, style: Style): string {
  const machineRows = health.machines.map((m) => [
    m.id,
    m.region,
    restingState(m.state, m.atRest),
    m.checks.length ? `${m.checks.filter((c) => c.status === 'passing').length}/${m.checks.length} passing` : 'none',
    !m.healthy
      ? style.red(m.reasons.join('; '))
      : isIdle(m.atRest)
        ? style.dim('idle')
        : m.atRest
          ? style.dim('standby')
          : style.green('healthy'),
  ]);
  const probeRows = health.http.map((p) => [
    p.path,
    p.verdict === 'ok' ? style.green('ok') : p.verdict === 'absent' ? style.dim('absent') : style.red('failed'),
    p.latencyMs === null ? '-' : `${p.latencyMs} ms`,
    p.detail,
  ]);
  const gpuRows = health.gpu.map((g) => [
    g.machine,
    g.region,
    g.verdict === 'ok' ? style.green('ok') : style.red('failed'),
    `${GPU_CHECK_NAME} ${g.status}`,
    g.detail,
  ]);
  const verdict = health.healthy
    ? style.green(`${health.app} is healthy.`)
    : style.red(`${health.app} is unhealthy: ${health.reasons.length} problem${health.reasons.length === 1 ? '' : 's'}.`);
  return [
    `${style.bold(health.app)}  https://${health.hostname}  release v${health.release}\n`,
    health.machines.length ? renderTable(['Machine', 'Region', 'State', 'Fly checks', 'Verdict'], machineRows) : 'No machines.\n',
    probeRows.length ? `\n${renderTable(['Endpoint', 'Result', 'Latency', 'Detail'], probeRows)}` : '',
    gpuRows.length ? `\n${renderTable(['GPU (Fly check)', 'Region', 'Result', 'Check', 'Detail'], gpuRows)}` : '',
    conditionLines(health.http, health.gpu, style),
    adviceLines(health, style),
    health.shortfalls.length ? `\n${health.shortfalls.map((line) => `  ${style.red('✗')} ${line}`).join('\n')}\n` : '',
    `\n${verdict}\n`,
  ].join('');
}
