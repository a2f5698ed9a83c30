/**
 * A flyctl that prints the token (the fake's `echo-token` fault: a debug line with the
 * Authorization header, and an error quoting the token) — nothing of it may reach gpuctl's
 * stdout, stderr, --json, the deploy log or GITHUB_STEP_SUMMARY. These checks fail without redaction.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployedWorld, expectNoToken } from './fly-world.js';

const leak = (command: string) => ({ FAKE_FLYCTL_FAULT: 'echo-token', FAKE_FLYCTL_FAULT_ON: command });

describe('a tool that prints the token', () => {
  it('the fake really does print it (so the checks below can fail)', async () => {
    const w = await deployedWorld();
    const raw = await w.flyctl(['status', '--app', 'quant-signals', '--json'], leak('status'));
    expect(`${raw.stdout}${raw.stderr}`).toContain('fm2_lJPETOPSECRETpart2');
  });

  it('deploy --verbose --json: stdout, stderr, the log and the step summary are redacted', async () => {
    const w = await deployedWorld();
    const summary = join(mkdtempSync(join(tmpdir(), 'summary-')), 'summary.md');
    writeFileSync(summary, '');
    const run = await w.gpuctl(['deploy', '--verbose', '--json'], { ...leak('deploy'), GITHUB_STEP_SUMMARY: summary });
    expect(run.exitCode).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toContain('[REDACTED]');
    expectNoToken(run);
    const report = JSON.parse(run.stdout) as { logFile: string | null };
    expect(report.logFile).not.toBeNull();
    const log = readFileSync(report.logFile!, 'utf8');
    expect(log).toContain('[REDACTED]');
    expectNoToken(log);
    expectNoToken(readFileSync(summary, 'utf8'));
  });

  it('status and health: the error names no token', async () => {
    const w = await deployedWorld();
    for (const [args, command] of [
      [['status'], 'status'],
      [['health', '--no-probe'], 'checks list'],
      [['scale', 'show', '--json'], 'scale show'],
    ] as const) {
      const run = await w.gpuctl([...args, '--verbose'], leak(command));
      expect(run.exitCode, `${args.join(' ')}: ${run.stderr}`).toBe(1);
      expect(run.stderr).toContain('[REDACTED]');
      expectNoToken(run);
    }
  });

  // Every variable the README names, and FLY_AUTH_TOKEN that gpuctl redacts too: each alone, end to end.
  it.each(['FLY_API_TOKEN', 'FLY_ACCESS_TOKEN', 'FLY_AUTH_TOKEN'])('%s is redacted from everything gpuctl prints', async (name) => {
    const w = await deployedWorld();
    const secret = `FlyV1 fm2_${name.toLowerCase()}_only_SECRETVALUE_0123456789,fm2_${name.toLowerCase()}_second_part`;
    const raw = await w.flyctl(['status', '--app', 'quant-signals', '--json'], { ...leak('status'), FLY_API_TOKEN: '', [name]: secret });
    expect(`${raw.stdout}${raw.stderr}`).toContain(`${name}=${secret}`);
    const run = await w.gpuctl(['status', '--verbose'], { ...leak('status'), FLY_API_TOKEN: '', [name]: secret });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('[REDACTED]');
    for (const part of [secret, `fm2_${name.toLowerCase()}_only_SECRETVALUE_0123456789`, `fm2_${name.toLowerCase()}_second_part`]) {
      expect(`${run.stdout}${run.stderr}`).not.toContain(part);
    }
  });

  it('no log file anywhere holds the token', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['deploy', '--json'], leak('deploy'));
    const { logFile } = JSON.parse(run.stdout) as { logFile: string };
    const dir = join(logFile, '..');
    for (const file of readdirSync(dir)) expectNoToken(readFileSync(join(dir, file), 'utf8'));
  });
});
