import { describe, expect, it } from 'vitest';
import * as a from '../../../src/flyio/args.js';

describe('flyctl argument lists', () => {
  const table: Array<[string, string[], string]> = [
    ['version', a.versionArgs(), 'version --json'],
    ['whoami', a.whoamiArgs(), 'auth whoami --json'],
    ['apps create', a.appsCreateArgs('fresh-app', 'quant-team'), 'apps create --json --org=quant-team -- fresh-app'],
    ['status', a.statusArgs('quant-signals'), 'status --app=quant-signals --json'],
    ['machine list', a.machineListArgs('quant-signals'), 'machine list --app=quant-signals --json'],
    ['checks list', a.checksListArgs('quant-signals'), 'checks list --app=quant-signals --json'],
    ['scale show', a.scaleShowArgs('quant-signals'), 'scale show --app=quant-signals --json'],
    ['releases', a.releasesArgs('quant-signals'), 'releases --app=quant-signals --json'],
    [
      'deploy',
      a.deployArgs({ app: 'q', config: 'fly.toml', waitTimeoutS: 300 }),
      'deploy --app=q --config=fly.toml --wait-timeout=300s --yes',
    ],
    [
      'deploy (rollback image, strategy, build args)',
      a.deployArgs({
        app: 'q',
        config: 'ops/fly.toml',
        image: 'registry.fly.io/q:deployment-1',
        strategy: 'immediate',
        waitTimeoutS: 60,
        buildArgs: ['A=1', 'B=x y'],
      }),
      'deploy --app=q --config=ops/fly.toml --image=registry.fly.io/q:deployment-1 --strategy=immediate --build-arg=A=1 --build-arg=B=x y --wait-timeout=60s --yes',
    ],
    ['scale count', a.scaleCountArgs({ app: 'q', count: 3, regions: [] }), 'scale count 3 --app=q --yes'],
    [
      'scale count, every option',
      a.scaleCountArgs({ app: 'q', count: 4, regions: ['ord', 'iad'], group: 'worker', maxPerRegion: 2 }),
      'scale count 4 --app=q --region=ord,iad --process-group=worker --max-per-region=2 --yes',
    ],
    ['scale vm', a.scaleVmArgs({ app: 'q', size: 'performance-8x' }), 'scale vm --app=q -- performance-8x'],
    [
      'scale vm, memory and group',
      a.scaleVmArgs({ app: 'q', size: 'performance-2x', memoryMb: 8192, group: 'web' }),
      'scale vm --app=q --vm-memory=8192 --process-group=web -- performance-2x',
    ],
    [
      'ssh console',
      a.sshConsoleArgs('q', 'e2865641be6d86', 'gpuctl detect --json'),
      'ssh console --app=q --machine=e2865641be6d86 --command=gpuctl detect --json',
    ],
    [
      'volumes create',
      a.volumesCreateArgs({ app: 'q', name: 'models', region: 'ord', sizeGb: 100 }),
      'volumes create --app=q --region=ord --size=100 --yes --json -- models',
    ],
  ];
  it.each(table)('%s', (_name, args, expected) => {
    expect(args.join(' ')).toBe(expected);
  });

  // issue 18: `deploy --create --app=--org=evil` sent `apps create --org=evil --json`; a group or image could be a flag too.
  it('never lets a user value be read as a flag: --flag=value, or after --', () => {
    const evil = '--org=evil';
    const lists = [
      a.appsCreateArgs(evil),
      a.statusArgs(evil),
      a.deployArgs({ app: evil, config: evil, image: evil, buildArgs: [evil], primaryRegion: evil }),
      a.scaleCountArgs({ app: evil, count: 1, regions: [evil], group: '--help' }),
      a.scaleVmArgs({ app: evil, size: '--help', group: '--help' }),
      a.sshConsoleArgs(evil, evil, '--help'),
      a.volumesCreateArgs({ app: evil, name: '--help', region: evil, sizeGb: 1 }),
    ];
    for (const args of lists) {
      const end = args.indexOf('--');
      const flags = end === -1 ? args : args.slice(0, end);
      expect(flags.filter((arg) => arg === evil || arg === '--help')).toEqual([]);
    }
  });

  it('passes --wait-timeout only when given (fly.toml wait_timeout holds otherwise)', () => {
    expect(a.deployArgs({ app: 'q', config: 'fly.toml' }).join(' ')).toBe('deploy --app=q --config=fly.toml --yes');
  });

  it('keeps a command with spaces as one argument, never a shell string', () => {
    expect(a.sshConsoleArgs('q', 'm1', 'nvidia-smi -L')).toEqual(['ssh', 'console', '--app=q', '--machine=m1', '--command=nvidia-smi -L']);
  });

  it('shows commands the way a person would type them', () => {
    expect(a.showCommand('flyctl', a.sshConsoleArgs('q', 'm1', "echo 'hi'"))).toBe(
      `flyctl ssh console --app=q --machine=m1 '--command=echo '\\''hi'\\'''`,
    );
    expect(a.showCommand('flyctl', ['scale', 'count', '2', '--region', 'ord,iad'])).toBe('flyctl scale count 2 --region ord,iad');
    expect(a.showCommand('fly', ['x', ''])).toBe("fly x ''");
  });
});
