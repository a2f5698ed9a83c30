/**
 * `gpuctl diag` end to end over the fakes: nvidia-smi replaying recorded H200 outputs (healthy, and
 * with planted ECC errors or a downgraded link), the fake gpuctl-bench with the native program's
 * planted faults (--inject-fault through GPUCTL_DIAG_INJECT_FAULT), and a fake dmesg.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_BIN, FIXTURES, runGpuctl } from '../helpers/cli.js';
import { diag } from './diag-helpers.js';

describe('gpuctl diag', () => {
  it('a healthy H200: every check with evidence, exit 0, the state file for the agent and a step summary', async () => {
    const { run, state, summary } = diag([]);
    const r = await run;
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('pcie-link      pass    PCIe under load: gen 5 x16 (max gen 5 x16)');
    expect(r.stdout).toContain('memtest        pass    0 errors; 5.6 GiB tested (4.0% of free)');
    expect(r.stdout.trimEnd().endsWith('\nPASS')).toBe(true);
    const saved = JSON.parse(readFileSync(state, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(saved)).toEqual(['schemaVersion', 'finishedAt', 'level', 'gpus']);
    expect(saved).toMatchObject({
      schemaVersion: 1,
      level: 'quick',
      gpus: [{ index: 0, uuid: 'GPU-00000000-1111-2222-3333-444444444444', verdict: 'pass' }],
    });
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n## gpuctl diag (quick): PASS')).toBe(true);
    expect(md).toContain('| stress | ✅ pass | every iteration verified;');
  });

  it.each([
    ['mem_bitflip', 'memtest', 'memtest        FAIL    1 errors; first at 0x7f2a4c000a80'],
    ['stress_wrong', 'stress', 'stress         FAIL    1 iterations gave a wrong result (first: 3, 1 words)'],
  ])('the planted fault %s is caught: exit 1 naming %s', async (fault, check, evidence) => {
    const { run, state } = diag([], { GPUCTL_DIAG_INJECT_FAULT: fault });
    const r = await run;
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(evidence);
    expect(r.stdout.trimEnd().endsWith(`FAIL: GPU 0: ${check}`)).toBe(true);
    expect((JSON.parse(readFileSync(state, 'utf8')) as { gpus: Array<{ verdict: string }> }).gpus[0]!.verdict).toBe('fail');
  });

  it.each([
    ['ecc-volatile', 'GPU 0: ecc'],
    ['link-downgraded', 'GPU 0: pcie-link'],
    ['thermal-throttle', 'GPU 0: clock-events, GPU 0: thermal'],
  ])('recorded %s: exit 1 naming %s', async (fixture, failed) => {
    const r = await diag([], { FAKE_NVIDIA_SMI_FIXTURE: `diag/${fixture}.query-gpu.csv` }).run;
    expect(r.exitCode).toBe(1);
    expect(r.stdout.trimEnd().endsWith(`FAIL: ${failed}`)).toBe(true);
  });

  it('a power cap under stress warns and exits 0; --json carries schemaVersion and every check', async () => {
    const r = await diag(['--json'], { FAKE_NVIDIA_SMI_FIXTURE: 'diag/power-cap.query-gpu.csv' }).run;
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout) as {
      schemaVersion: number;
      verdict: string;
      gpus: Array<{ checks: Array<{ name: string; verdict: string }> }>;
    };
    expect(report).toMatchObject({ schemaVersion: 1, verdict: 'warn' });
    expect(report.gpus[0]!.checks.find((c) => c.name === 'clock-events')).toMatchObject({ verdict: 'warn' });
  });

  it('XID: an unreadable kernel log is said; a fallen-off-the-bus XID for this GPU fails', async () => {
    const denied = await diag([], { FAKE_DMESG_MODE: 'denied' }).run;
    expect(denied.stdout).toContain(
      'xid            skip    kernel log not readable (dmesg exited 1: dmesg: read kernel buffer failed: Operation not permitted)',
    );
    const xid = await diag([], { FAKE_DMESG_FILE: join(FIXTURES, 'dmesg/xid79.txt') }).run;
    expect(xid.exitCode).toBe(1);
    expect(xid.stdout.trimEnd().endsWith('FAIL: GPU 0: xid')).toBe(true);
  });

  it('HOME set but empty: no state file in the working directory, a warning naming GPUCTL_DIAG_STATE, exit 0', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gpuctl-diag-cwd-'));
    const busy = mkdtempSync(join(tmpdir(), 'gpuctl-diag-busy-'));
    const r = await runGpuctl(['diag'], {
      tools: ['nvidia-smi', 'dmesg'],
      cwd,
      env: {
        HOME: '',
        GPUCTL_BENCH_BIN: join(FAKE_BIN, 'gpuctl-bench-fake'),
        FAKE_NVIDIA_SMI_FIXTURE: 'diag/h200-clean.query-gpu.csv',
        FAKE_BENCH_DEVICE: 'NVIDIA H200',
        FAKE_GPU_BUSY_DIR: busy,
      },
    });
    expect(r.exitCode).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    expect(r.stderr).toContain('No diag state file written: HOME is empty; set GPUCTL_DIAG_STATE for the agent.');
  });

  it('no driver: exit 3', async () => {
    const r = await diag([], { FAKE_NVIDIA_SMI_MODE: 'no-driver' }).run;
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('nvidia-smi cannot reach the NVIDIA driver');
    // The driver problem's own remedy, not a generic "install the driver" (nor bench's --cpu).
    expect(r.stderr).toContain('Hint: Check `lsmod | grep nvidia` and install or load the driver');
    expect(r.stderr).not.toContain('bench --cpu');
  });

  it('medium runs the memory test over 95% of free memory, the copies and the stress for --duration', async () => {
    const r = await diag(['--level', 'medium', '--duration', '2s', '--json']).run;
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout) as { programArgs: string[]; gpus: Array<{ checks: Array<{ name: string; evidence: string }> }> };
    expect(report.programArgs).toEqual(expect.arrayContaining(['seconds=2', 'mem_pct=95', 'n=16384']));
    const memtest = report.gpus[0]!.checks.find((c) => c.name === 'memtest')!;
    expect(memtest.evidence).toMatch(/\(95\.0% of free\).* of the cudaMemcpy ceiling/);
  });
});

describe('gpuctl diag --duration', () => {
  it('a burn-in of hours is announced on stderr at the start (what, until when, how to stop), and runs', async () => {
    const r = await diag(['--level', 'long', '--duration', '12h', '--json'], { GPUCTL_NOW: '2026-12-05T00:00:00Z' }).run;
    expect(r.stderr).toContain(
      'Warning: diag --level long runs 12 h of stress on 1 GPU: about 12 h in all (until about 2026-12-05T12:00Z). Ctrl-C stops it (exit 130) and records no verdict.',
    );
    expect(r.exitCode).toBe(0);
    expect((JSON.parse(r.stdout) as { programArgs: string[] }).programArgs).toContain(`seconds=${12 * 3600}`);
  });

  it('past 576h: a usage error (exit 2) before anything runs', async () => {
    const r = await diag(['--level', 'long', '--duration', '600h']).run;
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--duration 600h is longer than the 576h (24 days) a diag stress may take.');
  });
});

describe('gpuctl diag on an older driver', () => {
  // Before R535 nvidia-smi knew the clock-event reasons as clocks_throttle_reasons.* and rejects the new names
  // (exit 2): diag failed with that error, and only after the whole stress.
  const OLD = ['active', 'sw_power_cap', 'hw_slowdown', 'hw_thermal_slowdown', 'hw_power_brake_slowdown', 'sw_thermal_slowdown'].map(
    (r) => `clocks_event_reasons.${r}`,
  );
  it('asks by the older names: a HW thermal slowdown is still caught; the other checks as on a new driver', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'gpuctl-diag-smi-')), 'smi.log');
    const r = await diag([], {
      FAKE_NVIDIA_SMI_FIXTURE: 'diag/thermal-throttle.query-gpu.csv',
      FAKE_NVIDIA_SMI_UNKNOWN_FIELDS: OLD.join(','),
      FAKE_NVIDIA_SMI_LOG: log,
    }).run;
    expect(r.stdout).toMatch(/clock-events +FAIL +\d+ samples under load: HW slowdown \d+, HW thermal [1-9]/);
    expect(r.stdout).toContain('pcie-link      pass    PCIe under load: gen 5 x16 (max gen 5 x16)');
    expect(r.stdout.trimEnd().endsWith('FAIL: GPU 0: clock-events, GPU 0: thermal')).toBe(true);
    const queries = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.includes('clocks_throttle_reasons.hw_thermal_slowdown'));
    expect(queries.length).toBeGreaterThan(1); // the samples and the reading after ask the older names too
  });
});
