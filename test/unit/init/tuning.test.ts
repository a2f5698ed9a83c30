/** Tuning by memory class and workload: the documented table is the code's, and the classes read right. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { WORKLOADS } from '../../../src/shared/profiles.js';
import { frameworkEnv, MEMORY_CLASSES, memoryClass, tuneFor } from '../../../src/init/tuning.js';
import { ROOT } from '../../helpers/cli.js';

test('docs/init-validate.md has the table tuneFor computes, cell by cell', () => {
  const doc = readFileSync(join(ROOT, 'docs/init-validate.md'), 'utf8');
  const table = doc.split('<!-- tuning-table -->')[1]?.trim().split('\n\n')[0]?.split('\n') ?? [];
  expect(table[0]).toBe(`| workload | ${MEMORY_CLASSES.map((c) => `${c} GB`).join(' | ')} |`);
  const rows = table.slice(2);
  expect(rows.map((r) => r.split('|')[1]?.trim())).toEqual([...WORKLOADS]);
  for (const row of rows) {
    const [, workload, ...cells] = row.split('|').map((c) => c.trim());
    MEMORY_CLASSES.forEach((cls, i) => {
      const t = tuneFor(workload as (typeof WORKLOADS)[number], cls);
      expect(cells[i], `${workload} ${cls} GB`).toBe(`${t.batchSize} / ${t.memoryFraction.toFixed(2)}`);
    });
  }
});

test.each([
  [7.6, 8], // RTX 2080 SUPER (7971 MiB)
  [15.8, 16], // V100 16GB
  [22.5, 24], // A10 (23028 MiB)
  [24, 24], // RTX 4090
  [40, 48], // A100 40GB
  [45, 48], // L40S (46068 MiB)
  [79.6, 80], // H100 80GB (81559 MiB)
  [94, 141], // H100 NVL
  [140.4, 141], // H200 (143771 MiB)
  [192, 141], // larger cards stay in the top class
])('%s GB is a %s GB card', (gb, cls) => {
  expect(memoryClass(gb)).toBe(cls);
});

test('what fits in 80 GB is not what fits in 24 GB: bigger batches, a larger share, for every workload', () => {
  for (const w of WORKLOADS) {
    const small = tuneFor(w, 24);
    const large = tuneFor(w, 80);
    expect(large.batchSize).toBeGreaterThan(small.batchSize);
    expect(large.memoryFraction).toBeGreaterThan(small.memoryFraction);
  }
});

test('several GPUs keep a reserve for NCCL; the fraction never passes 0.95', () => {
  expect(tuneFor('batch', 80, 8).memoryFraction).toBeLessThan(tuneFor('batch', 80, 1).memoryFraction);
  expect(tuneFor('training', 141).memoryFraction).toBe(0.95);
});

test('the NCCL reserve starts at 2 GPUs: two GPUs of 80 GB keep 1 GB more than one (0.91 against 0.93 for batch)', () => {
  expect(tuneFor('batch', 80, 1).memoryFraction).toBe(0.93);
  expect(tuneFor('batch', 80, 2).memoryFraction).toBe(0.91);
  expect(tuneFor('batch', 80, 2).memoryFraction).toBe(tuneFor('batch', 80, 8).memoryFraction);
  expect(tuneFor('inference', 24, 2).memoryFraction).toBeLessThan(tuneFor('inference', 24, 1).memoryFraction);
});

test('framework variables: expandable segments and lazy loading always; NCCL (with NVLS off) only for several GPUs', () => {
  const one = frameworkEnv(tuneFor('inference', 80), 1).map((v) => `${v.name}=${v.value}`);
  expect(one).toEqual(
    expect.arrayContaining([
      'PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True',
      'CUDA_MODULE_LOADING=LAZY',
      'XLA_PYTHON_CLIENT_MEM_FRACTION=0.88',
    ]),
  );
  expect(one.some((v) => v.startsWith('NCCL_'))).toBe(false);
  const eight = frameworkEnv(tuneFor('training', 80, 8), 8);
  expect(eight.map((v) => `${v.name}=${v.value}`)).toContain('NCCL_NVLS_ENABLE=0');
  for (const v of eight) expect(v.why.length).toBeGreaterThan(20);
});
