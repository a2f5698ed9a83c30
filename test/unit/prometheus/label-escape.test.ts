/**
 * App names in PromQL label matchers, escaped by gpuctl and read back by the REAL PromQL parser and
 * evaluator: `promtool test rules` (Debian's prometheus package) loads series whose `app` label holds a
 * backslash, a double quote or a newline, and evaluates gpuctl's selectors against them. The series are
 * written with JSON's string escapes (the same `\\` `\"` `\n` as PromQL's), independent of escapeLabel.
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ageQuery, gpuQuery } from '../../../src/prometheus/gpu-samples.js';
import { findPromtool } from '../../helpers/prometheus-server.js';

/** Names a careless escape turns into another name or a parse error; each has a near-miss decoy series beside it. */
const NAMES = ['C:\\new\\app', 'say "hi"', 'two\nlines', 'cr\rhere', 'all \\" of\n them\\'];

it.each(NAMES)('the selectors for app %j match exactly that app in real PromQL', async (app) => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-promql-'));
  const series = (name: string, value: number, instance: string) => ({
    series: `DCGM_FI_DEV_GPU_UTIL{app=${JSON.stringify(name)},instance="${instance}"}`,
    values: `${value} ${value} ${value}`,
  });
  const decoys = [app.replace(/\\/g, ''), app.replace(/\n/g, 'n'), app.replace(/"/g, '')].filter((d) => d !== app);
  const tests = {
    rule_files: [],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: [series(app, 42, 'mine'), ...decoys.map((d, i) => series(d, 7, `decoy${i}`))],
        promql_expr_test: [
          { expr: `sum(${gpuQuery(app)})`, eval_time: '2m', exp_samples: [{ labels: '{}', value: 42 }] },
          { expr: `count(${ageQuery(app)})`, eval_time: '2m', exp_samples: [{ labels: '{}', value: 1 }] },
        ],
      },
    ],
  };
  // JSON is YAML: promtool reads the file as written.
  writeFileSync(join(dir, 'tests.yml'), JSON.stringify(tests, null, 2));
  const run = await execa(findPromtool(), ['test', 'rules', 'tests.yml'], { reject: false, timeout: 60_000, cwd: dir });
  expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.stdout).toContain('SUCCESS');
});
