/**
 * Value types and ranges (issue 18): each value flyctl would stop on is an error at its line; the
 * forms flyctl accepts (its casts in appconfig/patches.go) pass.
 */
import { describe, expect, it } from 'vitest';
import { validateFiles } from '../../../src/validate/index.js';
import { typeKey } from '../../../src/validate/fly-types.js';

const typed = (text: string) =>
  validateFiles({ flyToml: { path: 'fly.toml', text } })
    .filter((f) => f.id === 'fly-value-type')
    .map((f) => [f.line, f.severity, f.message.split(':')[0]]);

describe('fly-value-type', () => {
  it.each([
    ['app = 42\n', 'app = 42'],
    ['app = "a"\nprimary_region = true\n', 'primary_region = true'],
    ['app = "a"\n\n[[vm]]\n  memory = "lots"\n', 'vm.memory = "lots"'],
    ['app = "a"\n[[vm]]\n  size = "performance-8x"\n  cpus = -4\n', 'vm.cpus = -4'],
    ['app = "a"\n[http_service]\n  internal_port = "eighty"\n', 'http_service.internal_port = "eighty"'],
  ])('%j is an error at its line', (text, what) => {
    const line = text.split('\n').findIndex((l) => l.includes(what.split(' = ')[1]!)) + 1;
    expect(typed(text)).toEqual([[line, 'error', what]]);
  });

  it('the forms flyctl casts pass: a port as digits, memory as MB, durations as numbers, autostop as a boolean', () => {
    const text = [
      'app = "a"',
      'kill_timeout = 30',
      '[http_service]',
      '  internal_port = "8080"',
      '  auto_stop_machines = false',
      '  [[http_service.checks]]',
      '    interval = 15000',
      '[[services]]',
      '  internal_port = 9000',
      '  [[services.ports]]',
      '    port = "443"',
      '[[compute]]',
      '  memory = 4096',
      '  cpus = 2',
      '[[env]]',
      '  DEBUG = true',
      '[mount]',
      '  source = "m"',
      '  destination = "/m"',
      '  initial_size = 20',
    ].join('\n');
    expect(typed(text)).toEqual([]);
  });

  it('ranges: ports, snapshot retention, auto-extend threshold, counts', () => {
    const text = [
      'app = "a"',
      'swap_size_mb = -1',
      '[[services]]',
      '  internal_port = 0',
      '  [[services.ports]]',
      '    port = 65536',
      '[[mounts]]',
      '  source = "m"',
      '  destination = "/m"',
      '  snapshot_retention = 0',
      '  auto_extend_size_threshold = 100',
      '[[vm]]',
      '  gpus = 1.5',
      '  memory_mb = 0',
    ].join('\n');
    expect(typed(text).map(([line, , what]) => [line, what])).toEqual([
      [2, 'swap_size_mb = -1'],
      [4, 'services.internal_port = 0'],
      [6, 'services.ports.port = 65536'],
      [10, 'mounts.snapshot_retention = 0'],
      [11, 'mounts.auto_extend_size_threshold = 100'],
      [13, 'vm.gpus = 1.5'],
      [14, 'vm.memory_mb = 0'],
    ]);
  });

  it('the message says what flyctl needs; a check and an env value are named', () => {
    const [env, check] = validateFiles({
      flyToml: { path: 'fly.toml', text: 'app = "a"\n[env]\n  X = [1]\n[checks.gpu]\n  type = "http"\n  port = "9091"\n' },
    }).filter((f) => f.id === 'fly-value-type');
    expect(env?.message).toBe('env.X = an array: flyctl needs a string, number or boolean here, so `flyctl deploy` stops on this file.');
    expect(check?.line).toBe(6);
    expect(check?.message).toContain('checks.gpu.port = "9091": flyctl needs an integer from 1 to 65535');
  });

  it('folds legacy sections and names into the table key', () => {
    expect(typeKey(['compute', 0, 'cpus'])).toBe('vm.cpus');
    expect(typeKey(['checks', 'gpu', 'port'])).toBe('checks.*.port');
    expect(typeKey(['checks', 2, 'port'])).toBe('checks.*.port');
    expect(typeKey(['env', 0, 'NAME'])).toBe('env.*');
    expect(typeKey(['build', 'args', 'X'])).toBe('build.args.*');
    expect(typeKey(['services', 1, 'ports', 0, 'port'])).toBe('services.ports.port');
  });
});
