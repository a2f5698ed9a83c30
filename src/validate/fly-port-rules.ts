/**
 * Ports Fly reaches inside the machine that nothing serves: a [metrics] scrape or a /gpu-health check
 * on a port that is neither a service's internal_port nor gpuctl agent's. The agent counts where the
 * layout starts it: gpuctl-start.sh runs it on GPUCTL_AGENT_LISTEN's port, else GPUCTL_METRICS_PORT's
 * (9400 without either), unless GPUCTL_AGENT = 'off'. Only what fly.toml says is known, so a port the
 * application serves on its own without a service is reported too: a warning, not an error.
 */
import { finding, type Finding } from '../shared/findings.js';
import type { RuleContext } from './fly-gpu-rules.js';
import { envValue, type FlyModel } from '../flyio/fly-model.js';

const AGENT_DEFAULT_PORT = 9400;

/** The agent's port in this layout, or null when the layout does not run it. */
export function agentPort(model: FlyModel): number | null {
  if (envValue(model, 'GPUCTL_AGENT') === 'off') return null;
  const listen = envValue(model, 'GPUCTL_AGENT_LISTEN');
  const metrics = envValue(model, 'GPUCTL_METRICS_PORT');
  if (listen === undefined && metrics === undefined) return null;
  const text = listen !== undefined ? /(\d+)$/.exec(listen)?.[1] : metrics;
  const port = Number(text ?? AGENT_DEFAULT_PORT);
  return Number.isInteger(port) ? port : null;
}

const portOf = (value: unknown): number | null =>
  typeof value === 'number' || typeof value === 'bigint'
    ? Number(value)
    : typeof value === 'string' && /^\d+$/.test(value)
      ? Number(value)
      : null;

export function portRules({ model, file, at }: RuleContext): Finding[] {
  const agent = agentPort(model);
  const served = new Map<number, string>(
    model.services.flatMap((s) => (s.internalPort === undefined ? [] : [[s.internalPort, `${String(s.path[0])} internal_port`] as const])),
  );
  if (agent !== null) served.set(agent, 'gpuctl agent');
  const known = [...served].map(([port, by]) => `${port} (${by})`).join(', ') || 'none';
  const fix = (port: number) =>
    agent === null
      ? `Let gpuctl agent serve it: set GPUCTL_METRICS_PORT = '${port}' in [env] (gpuctl-start.sh starts the agent on it; \`gpuctl init\` writes both), or serve it from the application.`
      : `Point it at gpuctl agent's port, ${agent}, or serve ${port} from the application.`;
  const out: Finding[] = [];
  for (const m of model.metrics) {
    const port = portOf(m.port);
    if (port === null || served.has(port)) continue;
    out.push(
      finding(
        'port-not-served',
        file,
        at([...m.path, 'port']),
        `[metrics] scrapes port ${port}, which nothing in this layout serves (served: ${known}).`,
        fix(port),
      ),
    );
  }
  for (const check of model.checks) {
    const port = portOf(check.port);
    if (check.httpPath !== '/gpu-health' || port === null || served.has(port)) continue;
    out.push(
      finding(
        'port-not-served',
        file,
        at([...check.path, 'port']),
        `Check '${check.name}' asks for /gpu-health on port ${port}, which nothing in this layout serves (served: ${known}).`,
        fix(port),
      ),
    );
  }
  return out;
}
