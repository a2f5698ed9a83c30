/** `gpuctl health`: Fly's checks per machine plus the HTTP probes, judged together. Pure. */
import { machineProblems } from '../flyio/machines.js';
import type { FlyAppStatus, FlyChecksByMachine } from '../flyio/schemas.js';
import type { Style } from '../ui/style.js';
import { renderTable } from '../ui/table.js';
import { conditionLine } from './gpu-body.js';
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
    healthy: boolean;
    reasons: string[];
    checks: Array<{ name: string; status: string; output: string }>;
  }>;
  http: ProbeResult[];
  /** Why the app is unhealthy, one line each; empty when healthy. */
  reasons: string[];
}

export function assessHealth(status: FlyAppStatus, checks: FlyChecksByMachine, http: readonly ProbeResult[]): HealthJson {
  const machines = status.machines.map((m) => {
    const own = checks[m.id] ?? m.checks;
    const reasons = machineProblems({ ...m, checks: own }, undefined);
    return {
      id: m.id,
      region: m.region,
      state: m.state,
      healthy: reasons.length === 0,
      reasons,
      checks: own.map(({ name, status: s, output }) => ({ name, status: s, output })),
    };
  });
  const reasons = [
    ...(machines.length === 0 ? ['the app has no machines'] : []),
    ...machines.flatMap((m) => m.reasons.map((r) => `machine ${m.id} (${m.region}) ${r}`)),
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
    reasons,
  };
}

/** Each failed condition a body named, one line each under its endpoint. */
function conditionLines(http: readonly ProbeResult[], style: Style): string {
  const lines = http.flatMap((p) => (p.conditions ?? []).map((c) => `  ${style.red('✗')} ${p.path}  ${conditionLine(c)}`));
  return lines.length ? `\n${lines.join('\n')}\n` : '';
}

export function renderHealth(health: HealthJson, style: Style): string {
  const machineRows = health.machines.map((m) => [
    m.id,
    m.region,
    m.state,
    m.checks.length ? `${m.checks.filter((c) => c.status === 'passing').length}/${m.checks.length} passing` : 'none',
    m.healthy ? style.green('healthy') : style.red(m.reasons.join('; ')),
  ]);
  const probeRows = health.http.map((p) => [
    p.path,
    p.verdict === 'ok' ? style.green('ok') : p.verdict === 'absent' ? style.dim('absent') : style.red('failed'),
    p.latencyMs === null ? '-' : `${p.latencyMs} ms`,
    p.detail,
  ]);
  const verdict = health.healthy
    ? style.green(`${health.app} is healthy.`)
    : style.red(`${health.app} is unhealthy: ${health.reasons.length} problem${health.reasons.length === 1 ? '' : 's'}.`);
  return [
    `${style.bold(health.app)}  https://${health.hostname}  release v${health.release}\n`,
    health.machines.length ? renderTable(['Machine', 'Region', 'State', 'Fly checks', 'Verdict'], machineRows) : 'No machines.\n',
    probeRows.length ? `\n${renderTable(['Endpoint', 'Result', 'Latency', 'Detail'], probeRows)}` : '',
    conditionLines(health.http, style),
    `\n${verdict}\n`,
  ].join('');
}
