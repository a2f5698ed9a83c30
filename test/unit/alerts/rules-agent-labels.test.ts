/**
 * The alert rules against what the agent really exports (not the promtool cases' hand-written series):
 * every label a rule's annotations print unconditionally (`{{ $labels.Hostname }}` outside an `{{ if }}`)
 * is on every agent series its expression reads, else the alert says "On machine  GPU 0".
 * Prometheus adds `instance` and `job` at scrape time, so those two need not be on the agent's side.
 */
import { describe, expect, it } from 'vitest';
import { HostMeter } from '../../../src/agent/host.js';
import { createAgentMetrics } from '../../../src/agent/metrics.js';
import { alertRules, DEFAULT_THRESHOLDS } from '../../../src/alerts/rules.js';
import { parseXids } from '../../../src/gpu/xid.js';
import { sampledState } from '../../helpers/agent-state.js';
import { parseMetrics } from '../../helpers/prometheus.js';

const NOW = 1_800_000_000_000;
const LINE: Record<string, string> = {
  index: '0',
  uuid: 'GPU-b42dd28e',
  name: 'NVIDIA H100 80GB HBM3',
  'pci.bus_id': '00000000:18:00.0',
  'utilization.gpu': '87',
  'memory.used': '40000',
  'memory.total': '81559',
  'memory.free': '41559',
  'temperature.gpu': '61',
  'clocks_throttle_reasons.hw_thermal_slowdown': 'Active',
  'ecc.errors.uncorrected.volatile.total': '0',
  'retired_pages.pending': 'No',
  'remapped_rows.failure': 'No',
  'pcie.link.gen.gpucurrent': '4',
  'pcie.link.gen.max': '5',
  'pcie.link.width.current': '16',
  'pcie.link.width.max': '16',
};

async function exposition() {
  const state = sampledState(LINE, NOW);
  const m = createAgentMetrics('machine-7', new HostMeter(), '0.1.0', () => 'gpu');
  const diag = {
    finishedAtMs: NOW - 60_000,
    level: 'quick' as const,
    gpus: [{ index: 0, uuid: 'GPU-b42dd28e', verdict: 'fail' as const, finishedAtMs: NOW - 60_000, level: 'quick' as const }],
  };
  const xid = { readable: true as const, events: parseXids('[ 9000.1] NVRM: Xid (PCI:0000:18:00): 79, pid=7, fallen off the bus\n') };
  m.update(state, NOW, true, diag, xid);
  return parseMetrics(await m.registry.metrics());
}

/** Labels printed with no `{{ if }}` around them. */
const printedLabels = (text: string) =>
  [...text.replace(/\{\{ if [^}]*\}\}.*?\{\{ end \}\}/g, '').matchAll(/\{\{ \$labels\.(\w+) \}\}/g)].map((m) => m[1]!);

describe('alert rules against the agent exposition', () => {
  it('every label an annotation prints is on every agent series the rule reads (instance and job come from the scrape)', async () => {
    const families = await exposition();
    const missing: string[] = [];
    for (const rule of alertRules({ ...DEFAULT_THRESHOLDS, expectGpus: 1 })) {
      const labels = new Set([rule.summary, rule.description, rule.runbook].flatMap(printedLabels));
      for (const name of new Set(rule.expr.match(/\b(?:DCGM_FI_[A-Z_]+|gpuctl_[a-z_0-9]+)\b/g) ?? [])) {
        const family = families.get(name);
        if (!family) continue;
        for (const label of labels) {
          if (label === 'instance' || label === 'job') continue;
          if (family.metrics.some((s) => !s.labels?.[label])) missing.push(`${rule.alert}: ${name} has no ${label}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
