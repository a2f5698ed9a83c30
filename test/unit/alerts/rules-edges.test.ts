/**
 * The GPU rules' expressions at their edges, against the REAL promtool (`promql_expr_test`): the inputs the
 * per-rule cases of promtool-cases.ts leave out (a sampler that stopped with a fresh age, the age at the
 * threshold, one uncorrectable error, a failed row remap, the power brake, a link down a generation under
 * load, an XID count that rose or a code first seen long ago, a machine whose agent reports no GPU); and the
 * `for` and severity of every rule as docs/alerts.md's table gives them to users.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { alertRules, DEFAULT_THRESHOLDS } from '../../../src/alerts/rules.js';
import { findPromtool } from '../../helpers/prometheus-server.js';

const T = { ...DEFAULT_THRESHOLDS, expectGpus: 2 };
const expr = (alert: string) => alertRules(T).find((r) => r.alert === alert)!.expr;
const GPU = 'instance="m1", Hostname="h1", gpu="0"';

interface Case {
  what: string;
  series: Array<[string, string]>;
  alert: string;
  at: string;
  /** The samples the rule's expression gives then: [labels, value]; [] for none. */
  samples: Array<[string, number]>;
}

const cases: Case[] = [
  {
    what: 'a sampler that stopped while its last age is fresh',
    series: [
      [`gpuctl_agent_sampler_up{instance="m1", Hostname="h1"}`, '0x10'],
      [`gpuctl_agent_last_sample_age_seconds{instance="m1", Hostname="h1"}`, '1x10'],
    ],
    alert: 'GpuctlSamplerStopped',
    at: '5m',
    samples: [['gpuctl_agent_sampler_up{instance="m1", Hostname="h1"}', 0]],
  },
  {
    what: 'a sample exactly staleSeconds old (not over it)',
    series: [
      [`gpuctl_agent_sampler_up{instance="m1", Hostname="h1"}`, '1x10'],
      [`gpuctl_agent_last_sample_age_seconds{instance="m1", Hostname="h1"}`, `${T.staleSeconds}x10`],
    ],
    alert: 'GpuctlSamplerStopped',
    at: '5m',
    samples: [],
  },
  {
    what: 'one uncorrectable ECC error',
    series: [[`DCGM_FI_DEV_ECC_DBE_VOL_TOTAL{${GPU}}`, '1x10']],
    alert: 'GpuctlGpuUncorrectableEcc',
    at: '5m',
    samples: [[`DCGM_FI_DEV_ECC_DBE_VOL_TOTAL{${GPU}}`, 1]],
  },
  {
    what: 'a failed row remap with no page pending',
    series: [
      [`gpuctl_gpu_pages_pending{${GPU}}`, '0x10'],
      [`DCGM_FI_DEV_ROW_REMAP_FAILURE{${GPU}}`, '1x10'],
    ],
    alert: 'GpuctlGpuMemoryRepairPending',
    at: '5m',
    samples: [[`DCGM_FI_DEV_ROW_REMAP_FAILURE{${GPU}}`, 1]],
  },
  {
    what: 'clocks held by the power brake',
    series: [[`gpuctl_gpu_clock_throttled{${GPU}, reason="hw_power_brake_slowdown"}`, '1x10']],
    alert: 'GpuctlGpuThermalThrottling',
    at: '5m',
    samples: [[`gpuctl_gpu_clock_throttled{${GPU}, reason="hw_power_brake_slowdown"}`, 1]],
  },
  {
    what: 'a link a generation down at 60 % load',
    series: [
      [`DCGM_FI_DEV_PCIE_LINK_GEN{${GPU}}`, '4x10'],
      [`DCGM_FI_DEV_PCIE_MAX_LINK_GEN{${GPU}}`, '5x10'],
      [`DCGM_FI_DEV_PCIE_LINK_WIDTH{${GPU}}`, '16x10'],
      [`DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH{${GPU}}`, '16x10'],
      [`DCGM_FI_DEV_GPU_UTIL{${GPU}}`, '60x10'],
    ],
    alert: 'GpuctlGpuPcieLinkDegraded',
    at: '5m',
    samples: [[`DCGM_FI_DEV_PCIE_LINK_GEN{${GPU}}`, 4]],
  },
  {
    what: 'an XID count that rose within the window (the code was already there)',
    series: [[`gpuctl_gpu_xid_events{${GPU}, xid="13"}`, '1x40 2x10']],
    alert: 'GpuctlGpuXid',
    at: '45m',
    samples: [[`gpuctl_gpu_xid_events{${GPU}, xid="13"}`, 2]],
  },
  {
    what: 'an XID code first seen 45 minutes ago and not since',
    series: [[`gpuctl_gpu_xid_events{${GPU}, xid="13"}`, '1x60']],
    alert: 'GpuctlGpuXid',
    at: '45m',
    samples: [],
  },
  {
    what: 'a machine whose agent runs and reports no GPU at all',
    series: [[`gpuctl_agent_sampler_up{instance="m1", Hostname="h1"}`, '1x10']],
    alert: 'GpuctlGpuMissing',
    at: '5m',
    samples: [['{instance="m1", Hostname="h1"}', 0]],
  },
];

it.each(cases.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-alert-edges-'));
  try {
    const test = {
      tests: [
        {
          interval: '1m',
          input_series: c.series.map(([series, values]) => ({ series, values })),
          promql_expr_test: [
            { expr: expr(c.alert), eval_time: c.at, exp_samples: c.samples.map(([labels, value]) => ({ labels, value })) },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'tests.yml'), JSON.stringify(test));
    const run = await execa(findPromtool(), ['test', 'rules', 'tests.yml'], { reject: false, timeout: 30_000, cwd: dir });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("docs/alerts.md's table gives every rule's for and severity as the rules have them (defaults, --expect-gpus)", () => {
  const doc = readFileSync(join(import.meta.dirname, '../../../docs/alerts.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| (Gpuctl\w+) \|.*\| (\S+)(?: \([^)]*\))? \| (\w+) \|$/gm)].map((m) => [m[1], m[2], m[3]]);
  expect(rows).toEqual(alertRules(T).map((r) => [r.alert, r.for, r.severity]));
});
