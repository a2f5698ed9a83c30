/** `gpuctl health`'s markdown for GITHUB_STEP_SUMMARY: the verdict, the machines, the HTTP probes, the reasons. */
import { markdownCell } from '../ui/markdown.js';
import { isIdle, restingState } from '../flyio/machines.js';
import type { HealthJson } from './assess.js';

const cell = markdownCell;

export function renderHealthMarkdown(health: HealthJson): string {
  const verdict = health.healthy ? `✅ gpuctl health: ${health.app} is healthy` : `❌ gpuctl health: ${health.app} is unhealthy`;
  const lines = [`### ${verdict}`, '', `https://${health.hostname}, release v${health.release}`, ''];
  if (health.machines.length) {
    lines.push('| Machine | Region | State | Fly checks | Verdict |', '|---|---|---|---|---|');
    for (const m of health.machines) {
      const checks = m.checks.length ? `${m.checks.filter((c) => c.status === 'passing').length}/${m.checks.length} passing` : 'none';
      const state = restingState(m.state, m.atRest);
      const verdict = !m.healthy ? cell(m.reasons.join('; ')) : isIdle(m.atRest) ? 'idle' : (m.atRest ?? 'healthy');
      lines.push(`| \`${m.id}\` | ${m.region} | ${state} | ${checks} | ${verdict} |`);
    }
    lines.push('');
  } else lines.push('No machines.', '');
  if (health.http.length) {
    lines.push('| Endpoint | Result | Latency | Detail |', '|---|---|---|---|');
    for (const p of health.http)
      lines.push(`| \`${p.path}\` | ${p.verdict} | ${p.latencyMs === null ? '-' : `${p.latencyMs} ms`} | ${cell(p.detail)} |`);
    lines.push('');
  }
  if (health.gpu.length) {
    lines.push('| GPU (Fly check) | Region | Result | Detail |', '|---|---|---|---|');
    for (const g of health.gpu) lines.push(`| \`${g.machine}\` | ${g.region} | ${g.verdict} | ${cell(g.detail)} |`);
    lines.push('');
  }
  if (health.reasons.length) lines.push('Problems:', '', ...health.reasons.map((r) => `- ${cell(r)}`), '');
  const advice = health.machines.flatMap((m) => (m.advice ? [`- \`${m.id}\`: ${cell(m.advice)}`] : []));
  if (advice.length) lines.push('What to do:', '', ...advice, '');
  return `${lines.join('\n')}\n`;
}
