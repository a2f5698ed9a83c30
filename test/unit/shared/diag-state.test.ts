/**
 * The diag state file: one parser (diag and the agent), the merge a run makes into it, and what the agent exports of
 * a merged file (each GPU's verdict under the level of the run that gave it).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostMeter } from '../../../src/agent/host.js';
import { createAgentMetrics } from '../../../src/agent/metrics.js';
import type { SamplerState } from '../../../src/agent/sampler.js';
import { writeDiagState } from '../../../src/diag/state.js';
import { mergeDiagState, parseDiagState, type DiagState } from '../../../src/shared/diag-state.js';

const T1 = Date.parse('2026-12-01T10:00:00.000Z');
const T2 = Date.parse('2026-12-04T08:00:00.000Z');
const HOST = [
  { index: 0, uuid: 'GPU-a' },
  { index: 1, uuid: 'GPU-b' },
];
const earlier: DiagState = {
  finishedAtMs: T1,
  level: 'long',
  gpus: [
    { index: 0, uuid: 'GPU-a', verdict: 'pass', finishedAtMs: T1, level: 'long' },
    { index: 1, uuid: 'GPU-b', verdict: 'fail', finishedAtMs: T1, level: 'long' },
  ],
};
const runOf0 = { finishedAtMs: T2, level: 'quick' as const, gpus: [{ index: 0, uuid: 'GPU-a', verdict: 'warn' as const }] };

describe('the diag state merge', () => {
  it("replaces the run's GPUs and keeps the others with their own time and level", () => {
    expect(mergeDiagState(earlier, runOf0, HOST)).toEqual({
      finishedAtMs: T2,
      level: 'quick',
      gpus: [
        { index: 0, uuid: 'GPU-a', verdict: 'warn', finishedAtMs: T2, level: 'quick' },
        { index: 1, uuid: 'GPU-b', verdict: 'fail', finishedAtMs: T1, level: 'long' },
      ],
    });
  });

  it.each([
    ['a different UUID at that index', [HOST[0]!, { index: 1, uuid: 'GPU-new' }]],
    ['no GPU at that index any more', [HOST[0]!]],
  ])('drops a kept entry when the host has %s', (_, host) => {
    expect(mergeDiagState(earlier, runOf0, host).gpus.map((g) => g.index)).toEqual([0]);
  });

  it('keeps an entry by index when nvidia-smi gives no UUID to compare', () => {
    expect(mergeDiagState(earlier, runOf0, [HOST[0]!, { index: 1, uuid: null }]).gpus.map((g) => g.index)).toEqual([0, 1]);
  });

  it('keeps an entry by index when it was written without a UUID', () => {
    const noUuid: DiagState = { ...earlier, gpus: [{ ...earlier.gpus[1]!, uuid: '' }] };
    expect(mergeDiagState(noUuid, runOf0, HOST).gpus.map((g) => g.index)).toEqual([0, 1]);
  });

  it('drops an entry whose index the host lacks even when the host gives no UUIDs', () => {
    expect(mergeDiagState(earlier, runOf0, [{ index: 0, uuid: null }]).gpus.map((g) => g.index)).toEqual([0]);
  });

  it('lists the GPUs by index whichever the run checked', () => {
    const runOf1 = { finishedAtMs: T2, level: 'quick' as const, gpus: [{ index: 1, uuid: 'GPU-b', verdict: 'pass' as const }] };
    expect(mergeDiagState(earlier, runOf1, HOST).gpus.map((g) => [g.index, g.verdict])).toEqual([
      [0, 'pass'],
      [1, 'pass'],
    ]);
  });

  it.each([
    ['no schemaVersion', { schemaVersion: undefined }, 'schemaVersion undefined, not 1'],
    ['schemaVersion 3', { schemaVersion: 3 }, 'schemaVersion 3, not 1'],
    ['an index that is not a whole number', { gpus: [{ index: 1.5, uuid: 'GPU-b', verdict: 'fail' }] }, 'a GPU entry is not'],
    ['a negative index', { gpus: [{ index: -1, uuid: 'GPU-b', verdict: 'fail' }] }, 'a GPU entry is not'],
    ['no uuid', { gpus: [{ index: 1, verdict: 'fail' }] }, 'a GPU entry is not'],
    ['an unknown level on an entry', { gpus: [{ index: 1, uuid: 'GPU-b', verdict: 'fail', level: 'ultra' }] }, 'a GPU entry is not'],
  ])('refuses a file with %s', (_, change, reason) => {
    const file = { schemaVersion: 1, finishedAt: '2026-12-01T10:00:00.000Z', level: 'long', gpus: [], ...change };
    const r = parseDiagState(JSON.stringify(file));
    expect(r.ok ? '' : r.reason).toContain(reason);
  });

  it("reads an entry's own level over the file's", () => {
    const file = {
      schemaVersion: 1,
      finishedAt: '2026-12-04T08:00:00.000Z',
      level: 'quick',
      gpus: [{ index: 1, uuid: 'GPU-b', verdict: 'fail', finishedAt: '2026-12-01T10:00:00.000Z', level: 'long' }],
    };
    const r = parseDiagState(JSON.stringify(file));
    expect(r.ok && r.state.gpus).toEqual([{ index: 1, uuid: 'GPU-b', verdict: 'fail', finishedAtMs: T1, level: 'long' }]);
  });

  it("reads an old file's entries (no finishedAt or level of their own) as the file's run", () => {
    const old = {
      schemaVersion: 1,
      finishedAt: '2026-12-01T10:00:00.000Z',
      level: 'long',
      gpus: [{ index: 1, uuid: 'GPU-b', verdict: 'fail' }],
    };
    const r = parseDiagState(JSON.stringify(old));
    expect(r.ok && r.state.gpus).toEqual([{ index: 1, uuid: 'GPU-b', verdict: 'fail', finishedAtMs: T1, level: 'long' }]);
    const bad = { ...old, gpus: [{ index: 1, uuid: 'GPU-b', verdict: 'fail', finishedAt: 'monday' }] };
    const refused = parseDiagState(JSON.stringify(bad));
    expect(refused.ok ? '' : refused.reason).toContain('a GPU entry is not');
  });

  it('writeDiagState merges into the file on disk; a malformed file is said and replaced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-diag-state-'));
    try {
      const path = join(dir, 'diag-last.json');
      const warnings: string[] = [];
      const report = (gpus: Array<{ index: number; uuid: string; verdict: 'pass' | 'fail' }>, at: string, level: 'quick' | 'long') => ({
        finishedAt: at,
        level,
        gpus: gpus.map((g) => ({ ...g, name: 'H200', checks: [] })),
      });
      writeDiagState(path, report([{ index: 1, uuid: 'GPU-b', verdict: 'fail' }], '2026-12-01T10:00:00.000Z', 'long'), HOST, (m) =>
        warnings.push(m),
      );
      writeDiagState(path, report([{ index: 0, uuid: 'GPU-a', verdict: 'pass' }], '2026-12-04T08:00:00.000Z', 'quick'), HOST, (m) =>
        warnings.push(m),
      );
      const saved = JSON.parse(readFileSync(path, 'utf8')) as { gpus: unknown[] };
      expect(saved.gpus).toEqual([
        { index: 0, uuid: 'GPU-a', verdict: 'pass', finishedAt: '2026-12-04T08:00:00.000Z', level: 'quick' },
        { index: 1, uuid: 'GPU-b', verdict: 'fail', finishedAt: '2026-12-01T10:00:00.000Z', level: 'long' },
      ]);
      expect(warnings).toEqual([]);
      writeFileSync(path, '{');
      writeDiagState(path, report([{ index: 0, uuid: 'GPU-a', verdict: 'pass' }], '2026-12-04T09:00:00.000Z', 'quick'), HOST, (m) =>
        warnings.push(m),
      );
      expect((JSON.parse(readFileSync(path, 'utf8')) as { gpus: unknown[] }).gpus).toHaveLength(1);
      expect(warnings).toEqual([`The diag state file ${path} is unreadable (not JSON); only this run's GPUs are recorded.`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the agent exports each GPU's verdict under the level of the run that gave it, and that run's time", async () => {
    const state: SamplerState = {
      phase: 'running',
      intervalMs: 5000,
      gpus: new Map(),
      lastSampleAt: null,
      restarts: 0,
      failure: null,
      droppedFields: [],
      badSamples: 0,
    };
    const m = createAgentMetrics('machine-7', new HostMeter(), '0.1.0', () => 'gpu');
    m.update(state, T2 + 1000, true, mergeDiagState(earlier, runOf0, HOST), null);
    const text = await m.registry.metrics();
    const lines = (name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`));
    expect(lines('gpuctl_diag_result')).toEqual([
      'gpuctl_diag_result{gpu="0",UUID="GPU-a",level="quick",Hostname="machine-7"} 1',
      'gpuctl_diag_result{gpu="1",UUID="GPU-b",level="long",Hostname="machine-7"} 2',
    ]);
    // how old each verdict is: GPU 1's is the earlier run's
    expect(lines('gpuctl_diag_gpu_timestamp_seconds')).toEqual([
      `gpuctl_diag_gpu_timestamp_seconds{gpu="0",UUID="GPU-a",level="quick",Hostname="machine-7"} ${T2 / 1000}`,
      `gpuctl_diag_gpu_timestamp_seconds{gpu="1",UUID="GPU-b",level="long",Hostname="machine-7"} ${T1 / 1000}`,
    ]);
  });
});
