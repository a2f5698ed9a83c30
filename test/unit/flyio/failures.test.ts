import { describe, expect, it } from 'vitest';
import { ExitCode, InterruptedError, MissingError } from '../../../src/errors.js';
import { classifyFailure, flyError, FlyError } from '../../../src/flyio/failures.js';

describe('classifyFailure (flyctl error texts, facts §2.12)', () => {
  const table: Array<[number, string, ReturnType<typeof classifyFailure>]> = [
    [1, "no access token available. Please login with 'flyctl auth login'", 'not-logged-in'],
    [1, 'unauthorized', 'unauthorized'],
    [1, 'failed to get app: Could not find App "ghost"', 'app-not-found'],
    [1, 'failed to list VMs: app not found (Request ID: 01J-ord)', 'app-not-found'],
    [1, 'GPU machines are no longer supported: --vm-gpu-kind and --vm-gpus are no longer accepted', 'gpu-rejected'],
    [
      1,
      'failed to launch VM: GPU machines are no longer supported: config.guest.gpu_kind and config.guest.gpus must be unset',
      'gpu-rejected',
    ],
    [1, 'could not reserve resource for machine: insufficient memory available to fulfill request', 'capacity'],
    [1, 'timeout reached waiting for health checks to pass for machine e2865641be6d86: failed to get VM', 'unhealthy'],
    [1, 'this app has no complete releases. Run `fly deploy` to create one and rerun this command', 'no-releases'],
    [126, 'anything', 'deadline'],
    [1, 'Get "https://api.machines.dev": context deadline exceeded', 'deadline'],
    [127, '', 'interrupted'],
    [1, 'unknown flag: --json', 'unknown-flag'],
    [1, 'something else went wrong', 'other'],
  ];
  it.each(table)('exit %i "%s" → %s', (code, text, reason) => {
    expect(classifyFailure(code, text)).toBe(reason);
  });
});

describe('flyError', () => {
  const failed = (exitCode: number, message: string) => ({
    kind: 'failed' as const,
    exitCode,
    message,
    stdout: '',
    stderr: `Error: ${message}\n`,
  });

  it('not logged in: a FlyError with the token hint', () => {
    const error = flyError(failed(1, "no access token available. Please login with 'flyctl auth login'"), {
      command: 'flyctl auth whoami --json',
    });
    expect(error).toBeInstanceOf(FlyError);
    expect((error as FlyError).reason).toBe('not-logged-in');
    expect(error.message).toBe('flyctl is not logged in to Fly.io.');
    expect(error.hint).toContain('FLY_API_TOKEN');
  });

  it('app not found names the app', () => {
    const error = flyError(failed(1, 'failed to get app: Could not find App "ghost"'), { command: 'flyctl status', app: 'ghost' });
    expect(error.message).toBe('The Fly app "ghost" does not exist, or this token cannot see it.');
  });

  it('GPU rejected carries the retirement message and the CPU size', () => {
    const error = flyError(failed(1, 'failed to launch VM: GPU machines are no longer supported'), { command: 'flyctl deploy' });
    expect(error.message).toContain('retired GPU Machines on 2026-08-01');
    expect(error.hint).toContain('performance-8x');
  });

  it('GPU rejected names the gpu_kind the request carried, and none when it is not known', () => {
    const text = 'failed to launch VM: GPU machines are no longer supported: config.guest.gpu_kind and config.guest.gpus must be unset';
    expect(flyError(failed(1, text), { command: 'flyctl deploy', gpuKind: 'l40s' }).message).toContain(
      'rejects GPU guests (gpu_kind "l40s")',
    );
    const unnamed = flyError(failed(1, text), { command: 'flyctl deploy' }).message;
    expect(unnamed).toContain('the Machines API rejects GPU guests and flyctl');
    expect(unnamed).not.toContain('gpu_kind "gpu"');
  });

  it('deadline (126) is a timeout with the state note', () => {
    const error = flyError(failed(126, 'context deadline exceeded'), {
      command: 'flyctl deploy',
      stateNote: 'Some machines may run the new release.',
    });
    expect(error.code).toBe('tool_timeout');
    expect(error.message).toContain('exit 126');
    expect(error.hint).toContain('Some machines may run the new release.');
  });

  it('interrupted (127) and a killed child are InterruptedError (exit 130) saying what state the app may be in', () => {
    const a = flyError(failed(127, 'context canceled'), { command: 'flyctl scale count 3', stateNote: 'Check with `gpuctl scale show`.' });
    const b = flyError({ kind: 'interrupted' }, { command: 'flyctl deploy', stateNote: 'Check with `gpuctl status`.' });
    for (const error of [a, b]) {
      expect(error).toBeInstanceOf(InterruptedError);
      expect(error.exitCode).toBe(ExitCode.interrupted);
      expect(error.message).toMatch(/Check with `gpuctl (scale show|status)`\./);
    }
  });

  it('missing flyctl exits 3 with the install hint', () => {
    const error = flyError({ kind: 'missing' }, { command: 'flyctl version' });
    expect(error).toBeInstanceOf(MissingError);
    expect(error.exitCode).toBe(3);
  });

  it('a FLYCTL with no program behind it is named, not "flyctl is not installed"', () => {
    const error = flyError({ kind: 'missing', configured: '/opt/fly/flyctl' }, { command: 'flyctl version' });
    expect(error).toBeInstanceOf(MissingError);
    expect(error.message).toBe('FLYCTL is set to "/opt/fly/flyctl", and there is no such program.');
  });

  it('a timeout says how long gpuctl waited', () => {
    expect(flyError({ kind: 'timeout', timeoutMs: 30_000 }, { command: 'flyctl status' }).message).toBe(
      '`flyctl status` did not finish within 30 s and was stopped.',
    );
  });
});
