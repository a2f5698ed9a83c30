import { describe, expect, it } from 'vitest';
import { parseHealthOptions } from '../../../src/commands/health.js';
import { parseCount, parseVm } from '../../../src/commands/scale.js';
import { parseStatusOptions } from '../../../src/commands/status.js';
import { parseDeployOptions } from '../../../src/commands/deploy.js';
import { UsageError } from '../../../src/errors.js';
import { parseDuration } from '../../../src/shared/duration.js';

const raw = (opts: Record<string, unknown>, args: string[] = []) => ({ args, opts });

describe('argv → options', () => {
  it('deploy: defaults and every option', () => {
    expect(parseDeployOptions(raw({ config: 'fly.toml', waitTimeout: '5m', deployTimeout: '30m' }))).toMatchObject({
      app: undefined,
      config: 'fly.toml',
      waitTimeoutMs: 300_000,
      deployTimeoutMs: 1_800_000,
      rollback: false,
      allowGpu: false,
      dryRun: false,
      buildArgs: [],
    });
    const all = parseDeployOptions(
      raw({
        app: 'q',
        config: 'ops/fly.toml',
        create: true,
        org: 'team',
        region: 'ORD',
        strategy: 'bluegreen',
        image: 'img',
        buildArg: ['A=1'],
        waitTimeout: '1m30s',
        deployTimeout: '20m',
        verifyGpu: true,
        rollback: true,
        allowGpu: true,
        dryRun: true,
      }),
    );
    expect(all).toMatchObject({
      app: 'q',
      region: 'ord',
      strategy: 'bluegreen',
      buildArgs: ['A=1'],
      waitTimeoutMs: 90_000,
      verifyGpu: true,
      rollback: true,
      allowGpu: true,
      dryRun: true,
      create: true,
      org: 'team',
    });
  });

  it('deploy: bad durations and build args are usage errors', () => {
    expect(() => parseDeployOptions(raw({ waitTimeout: 'soon' }))).toThrow(UsageError);
    expect(() => parseDeployOptions(raw({ waitTimeout: '40m', deployTimeout: '30m' }))).toThrow(/longer than --wait-timeout/);
    expect(() => parseDeployOptions(raw({ buildArg: ['no-equals'] }))).toThrow(/NAME=VALUE/);
    // --org without --create was dropped without a word (an existing app deploys in its own organization)
    expect(() => parseDeployOptions(raw({ org: 'team' }))).toThrow(
      '--org goes with --create: it is the organization of the app that --create makes.',
    );
  });

  it('durations', () => {
    expect([
      parseDuration('90'),
      parseDuration('90s'),
      parseDuration('1m30s'),
      parseDuration('2h'),
      parseDuration('500ms'),
      parseDuration('5 m'),
    ]).toEqual([90_000, 90_000, 90_000, 7_200_000, 500, undefined]);
  });

  it('status: --watch and --json do not mix', () => {
    expect(parseStatusOptions(raw({ watch: true, interval: '2' }))).toMatchObject({ watch: true, intervalMs: 2000 });
    expect(() => parseStatusOptions(raw({ watch: true, json: true }))).toThrow(UsageError);
    expect(() => parseStatusOptions(raw({ watch: true, interval: '0' }))).toThrow(UsageError);
    expect(() => parseStatusOptions(raw({ watch: true, interval: '3000000' }))).toThrow('between 1 and 3600');
    // issue 22: a duration like every other time option, a bare number still seconds
    expect(parseStatusOptions(raw({ watch: true, interval: '2m' })).intervalMs).toBe(120_000);
    expect(parseStatusOptions(raw({ watch: true, interval: '1500ms' })).intervalMs).toBe(1500);
    expect(parseStatusOptions(raw({})).intervalMs).toBe(5000);
    expect(() => parseStatusOptions(raw({ watch: true, interval: 'soon' }))).toThrow('--interval "soon" is not a duration.');
    expect(() => parseStatusOptions(raw({ watch: true, interval: '500ms' }))).toThrow('between 1 and 3600');
  });

  it('health: --url must be http(s), --no-probe turns probes off', () => {
    expect(parseHealthOptions(raw({ url: 'http://127.0.0.1:8080', timeout: '2s' }))).toMatchObject({
      url: 'http://127.0.0.1:8080',
      timeoutMs: 2000,
      probe: true,
    });
    expect(parseHealthOptions(raw({ probe: false }))).toMatchObject({ url: undefined, probe: false });
    // Both: no probe at --url, and with --url no GPU verdict from Fly's check either; nothing GPU would be judged.
    expect(() => parseHealthOptions(raw({ url: 'http://127.0.0.1:8080', probe: false }))).toThrow(
      '--url names where to probe, and --no-probe turns the probes off: choose one.',
    );
    expect(() => parseHealthOptions(raw({ url: 'quant-signals.fly.dev' }))).toThrow(UsageError);
    for (const url of ['http://a b', 'http://[::1', 'http://127.0.0.1:99999', 'ftp://example.com'])
      expect(() => parseHealthOptions(raw({ url })), url).toThrow(`--url must be an http(s) URL, not "${url}".`);
    expect(parseHealthOptions(raw({ url: 'http://[::1]:8080' })).url).toBe('http://[::1]:8080');
    // Credentials in --url: fetch refused the request and the report printed the password; a usage error that does not repeat it.
    for (const url of ['http://admin:s3cret@127.0.0.1:8080', 'https://token@quant-signals.fly.dev']) {
      const error = (() => {
        try {
          parseHealthOptions(raw({ url }));
        } catch (e) {
          return e as UsageError;
        }
        return undefined;
      })();
      expect(error, url).toBeInstanceOf(UsageError);
      expect(error?.message).toBe(
        '--url holds credentials (user:password@) in its URL; gpuctl sends none from a URL, and would print them.',
      );
      expect(`${error?.message} ${error?.hint}`).not.toMatch(/s3cret|token@/);
    }
  });

  it('scale count / vm', () => {
    expect(parseCount(raw({ region: 'ord, IAD', group: 'web', maxPerRegion: '2', yes: true }, ['4']))).toMatchObject({
      count: 4,
      regions: ['ord', 'iad'],
      group: 'web',
      maxPerRegion: 2,
      yes: true,
      dryRun: false,
    });
    expect(() => parseCount(raw({}, ['-1']))).toThrow(UsageError);
    expect(() => parseCount(raw({}, ['two']))).toThrow(UsageError);
    expect(parseVm(raw({ memory: '8192', dryRun: true }, ['performance-2x']))).toMatchObject({
      size: 'performance-2x',
      memoryMb: 8192,
      dryRun: true,
    });
    // flyctl spells it --process-group; both work.
    expect(parseCount(raw({ processGroup: 'worker' }, ['2'])).group).toBe('worker');
    expect(parseVm(raw({ processGroup: 'worker' }, ['performance-2x'])).group).toBe('worker');
  });
});

describe('autoscale --timeout (issue 22)', () => {
  it('is a duration like every other time option; a bare number is still seconds; at most 5m', async () => {
    const { parseCommon } = await import('../../../src/commands/autoscale.js');
    const common = (timeout?: string) => parseCommon(raw({ policy: 'p.toml', ...(timeout === undefined ? {} : { timeout }) }));
    expect(common().timeoutMs).toBe(10_000);
    expect(common('2').timeoutMs).toBe(2000);
    expect(common('1m').timeoutMs).toBe(60_000);
    expect(common('500ms').timeoutMs).toBe(500);
    expect(() => common('never')).toThrow('--timeout "never" is not a duration.');
    expect(() => common('0')).toThrow(UsageError);
    expect(() => common('6m')).toThrow('--timeout "6m" must be between 0 and 300 seconds');
  });
});
