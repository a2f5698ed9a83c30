/**
 * A policy as fly-autoscaler's configuration (superfly/fly-autoscaler, cmd/fly-autoscaler/main.go
 * NewConfigFromEnv; reconciler.go). Its environment form takes ONE Prometheus query whose value is
 * a named variable in an Expr expression (expr-lang: min, max, ternaries; no memory, no clock used
 * here). So the rules are folded into one PromQL query that computes the next machine count from
 * the current one: sustained thresholds become subqueries (min_over_time/max_over_time over
 * `(expr)[for:interval]`), comparisons become `> bool` 0/1 terms. The bounds go into the Expr
 * expression. What it cannot say (schedules, cooldowns) is listed in the file, never dropped.
 */
import type { Policy } from './policy-schema.js';
import { describeWindow } from './schedule.js';
import { AGENT_METRIC } from '../shared/agent-metrics.js';

export const FAS_IMAGE = 'flyio/fly-autoscaler:0.3';
export const METRIC_NAME = 'gpuctl_target';
/** Machines of the app that report GPU metrics (one series per machine after `count by (instance)`). */
export const MACHINES_QUERY = `count(count by (instance) (${AGENT_METRIC.gpuUtil}{app="$APP_NAME"}))`;

export interface FlyAutoscalerConfig {
  env: Record<string, string>;
  query: string;
  expression: string;
  unsupported: string[];
  approximations: string[];
}

const secs = (ms: number) => `${Math.max(1, Math.round(ms / 1000))}s`;
const num = (n: number) => String(n);
const sustainedAbove = (expr: string, forMs: number, stepMs: number, above: number) =>
  `(min_over_time((${expr})[${secs(forMs)}:${secs(stepMs)}]) > bool ${num(above)})`;
const sustainedBelow = (expr: string, forMs: number, stepMs: number, below: number) =>
  `(max_over_time((${expr})[${secs(forMs)}:${secs(stepMs)}]) < bool ${num(below)})`;

/** The PromQL that returns the next machine count (before the bounds), or nothing when data is missing. */
export function targetQuery(policy: Policy): string {
  const s = policy.intervalMs;
  const ups = [sustainedAbove(policy.metric, policy.up.forMs, s, policy.up.above)];
  if (policy.errorRate) ups.push(sustainedAbove(policy.errorRate.query, policy.errorRate.forMs, s, policy.errorRate.above));
  if (policy.latency) ups.push(sustainedAbove(policy.latency.query, policy.latency.forMs, s, policy.latency.above));
  const up = ups.length === 1 ? ups[0]! : `clamp_max(${ups.join(' + ')}, 1)`;
  const down = sustainedBelow(policy.metric, policy.down.forMs, s, policy.down.below);
  const regular = `(${up} * ${policy.up.step} - (1 - ${up}) * ${down} * ${policy.down.step})`;
  const e = policy.emergency;
  if (!e) return `${MACHINES_QUERY} + ${regular}`;
  const emergency = sustainedAbove(policy.metric, e.samples * s, s, e.above);
  return `${MACHINES_QUERY} + ${emergency} * ${e.add} + (1 - ${emergency}) * ${regular}`;
}

export function toFlyAutoscaler(policy: Policy, org: string | undefined): FlyAutoscalerConfig {
  const query = targetQuery(policy);
  const expression = `max(${policy.min}.0, min(${policy.max}.0, ${METRIC_NAME}))`;
  const env: Record<string, string> = {
    FAS_APP_NAME: policy.app,
    ...(org ? { FAS_ORG: org } : {}),
    FAS_PROCESS_GROUP: policy.group,
    ...(policy.regions.length ? { FAS_REGIONS: policy.regions.join(',') } : {}),
    FAS_CREATED_MACHINE_COUNT: expression,
    FAS_INTERVAL: secs(policy.intervalMs),
    FAS_PROMETHEUS_ADDRESS: `https://api.fly.io/prometheus/${org ?? '<org>'}`,
    FAS_PROMETHEUS_METRIC_NAME: METRIC_NAME,
    FAS_PROMETHEUS_QUERY: query,
  };
  const unsupported: string[] = [];
  for (const w of policy.schedule)
    unsupported.push(`schedule ${describeWindow(w)}: fly-autoscaler has no schedules; its floor is min (${policy.min}) at all hours`);
  unsupported.push(
    `cooldowns (up ${secs(policy.cooldown.upMs)}, down ${secs(policy.cooldown.downMs)}): fly-autoscaler keeps no memory of its actions and re-decides every ${secs(policy.intervalMs)}`,
  );
  if (policy.emergency) unsupported.push(`the emergency cooldown (${secs(policy.emergency.cooldownMs)}): as above`);
  if (policy.min === 0) unsupported.push('min = 0: fly-autoscaler never destroys the last machine');
  const approximations = [
    `the current count is the number of machines reporting ${AGENT_METRIC.gpuUtil} (${MACHINES_QUERY}), not flyctl's machine list: a machine whose agent is down, or whose nvidia-smi has given no sample for three agent intervals (the agent then drops its GPU series), is not counted`,
    `"for" windows are PromQL subqueries sampled every ${secs(policy.intervalMs)} (min_over_time/max_over_time), evaluated by Fly's Prometheus (MetricsQL)`,
    'a missing series makes the whole query empty: fly-autoscaler then skips the round ("empty prometheus result"), as gpuctl takes no action without data',
    ...(policy.regions.length ? ['FAS_REGIONS adds machines round-robin; flyctl scale count (gpuctl) fills regions in list order'] : []),
    'scale-down destroys machines (stopped ones first), as gpuctl scale count does; fly-autoscaler clones the first machine of the group to add one',
  ];
  const dollars = [policy.metric, policy.errorRate?.query, policy.latency?.query].filter(
    (q): q is string => !!q && /\$(?!APP_NAME\b|\{APP_NAME\})/.test(q),
  );
  if (dollars.length)
    unsupported.push(
      `fly-autoscaler expands $NAME in queries from its environment (os.Expand): the "$" in ${dollars.join(', ')} will be replaced`,
    );
  return { env, query, expression, unsupported, approximations };
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\0-\x08\n-\x1f\x7f]/;

/** TOML string: a literal '…' when possible (PromQL is full of double quotes), else a basic string. */
export function tomlString(text: string): string {
  return !text.includes("'") && !CONTROL.test(text) ? `'${text}'` : JSON.stringify(text).replace(/\x7f/g, '\\u007f');
}

/** One comment line: a control character (a newline above all) is shown escaped, so no value can end the comment. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const comment = (line: string): string => line.replace(/[\0-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** The fly.toml of an app that runs fly-autoscaler for this policy. */
export function renderFlyAutoscalerToml(policy: Policy, org: string | undefined, source: string): string {
  const config = toFlyAutoscaler(policy, org);
  const comments = [
    `# fly-autoscaler for ${policy.app} (process group ${policy.group}), written by \`gpuctl autoscale export\` from ${source}.`,
    `# Deploy: fly apps create ${policy.app}-autoscaler`,
    `#         fly secrets set -a ${policy.app}-autoscaler FAS_API_TOKEN="$(fly tokens create deploy -a ${policy.app})" FAS_PROMETHEUS_TOKEN="$(fly tokens create readonly)"`,
    `#         fly deploy --ha=false`,
    ...(org ? [] : ['# Set --org: FAS_PROMETHEUS_ADDRESS has an <org> placeholder.']),
    '#',
    '# NOT EXPRESSIBLE in fly-autoscaler (only `gpuctl autoscale run` does these):',
    ...config.unsupported.map((u) => `#   - ${u}`),
    '# Approximations:',
    ...config.approximations.map((a) => `#   - ${a}`),
  ];
  const lines = [
    ...comments.map(comment),
    '',
    `app = ${tomlString(`${policy.app}-autoscaler`)}`,
    '',
    '[build]',
    `  image = ${tomlString(FAS_IMAGE)}`,
    '',
    '[env]',
    ...Object.entries(config.env).map(([k, v]) => `  ${k} = ${tomlString(v)}`),
    '',
    '[metrics]',
    '  port = 9090',
    '  path = "/metrics"',
    '',
  ];
  return lines.join('\n');
}
