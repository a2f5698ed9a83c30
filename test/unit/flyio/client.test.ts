import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlyClient, findFlyctl, versionProblem } from '../../../src/flyio/client.js';
import { FlyError } from '../../../src/flyio/failures.js';
import { exited, makeTestCtx } from '../../helpers/ctx.js';

const version = readFileSync(new URL('../../fixtures/flyctl/version.json', import.meta.url), 'utf8');
const status = readFileSync(new URL('../../fixtures/flyctl/status.json', import.meta.url), 'utf8');

describe('findFlyctl', () => {
  it('falls back from flyctl to fly', async () => {
    const ctx = makeTestCtx({
      rules: [
        { match: ['flyctl', 'version', '--json'], result: { kind: 'not-found', file: 'flyctl' } },
        { match: ['fly', 'version', '--json'], result: exited(version) },
      ],
    });
    expect(await findFlyctl(ctx)).toMatchObject({ file: 'fly', version: { version: '0.4.87' } });
  });

  it('uses FLYCTL when set', async () => {
    const ctx = makeTestCtx({
      env: { FLYCTL: '/opt/fly/bin/flyctl' },
      rules: [{ match: ['/opt/fly/bin/flyctl', 'version', '--json'], result: exited(version) }],
    });
    expect((await findFlyctl(ctx)).file).toBe('/opt/fly/bin/flyctl');
  });

  it('refuses versions older than the minimum', () => {
    expect(versionProblem('0.2.99')).toMatch(/older than v0.3.0/);
    expect(versionProblem('0.4.87')).toBeUndefined();
  });
});

describe('FlyClient', () => {
  it('passes the token through the environment only, never on the command line', async () => {
    const token = 'FlyV1 fm2_lJPECAAAAAAAAAAA_secret';
    const ctx = makeTestCtx({
      env: { FLY_API_TOKEN: token },
      rules: [{ match: ['flyctl', 'status', '--app=quant-signals', '--json'], result: exited(status) }],
    });
    const app = await new FlyClient(ctx, 'flyctl').status('quant-signals');
    expect(app.machines).toHaveLength(2);
    expect(JSON.stringify(ctx.calls)).not.toContain('fm2_');
  });

  it('maps a failure to a typed error', async () => {
    const ctx = makeTestCtx({
      rules: [{ match: () => true, result: exited('', 1, 'Error: failed to get app: Could not find App "ghost"\n') }],
    });
    await expect(new FlyClient(ctx, 'flyctl').status('ghost')).rejects.toMatchObject({ reason: 'app-not-found' });
    await expect(new FlyClient(ctx, 'flyctl').status('ghost')).rejects.toBeInstanceOf(FlyError);
  });

  it('ssh console: stdin is a closed pipe, a remote failure is a result', async () => {
    const ctx = makeTestCtx({
      rules: [{ match: () => true, result: exited('', 1, 'Error: ssh shell: Process exited with status 127\n') }],
    });
    const result = await new FlyClient(ctx, 'flyctl').ssh('q', 'm1', 'nvidia-smi');
    expect(result).toEqual({ kind: 'remote-failed', message: 'ssh shell: Process exited with status 127', stdout: '' });
    expect(ctx.calls[0]?.input).toBe('');
    expect(ctx.calls[0]?.args).toEqual(['ssh', 'console', '--app=q', '--machine=m1', '--command=nvidia-smi']);
  });

  it('every call has a timeout', async () => {
    const ctx = makeTestCtx({
      env: { GPUCTL_FLYCTL_TIMEOUT_MS: '1500' },
      rules: [{ match: () => true, result: { kind: 'timeout', timeoutMs: 1500, stdout: '', stderr: '' } }],
    });
    await expect(new FlyClient(ctx, 'flyctl').releases('q')).rejects.toThrow('did not finish within 2 s');
    expect(ctx.calls[0]?.timeoutMs).toBe(1500);
  });
});
