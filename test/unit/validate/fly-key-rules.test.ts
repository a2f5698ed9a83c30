/** Unknown fly.toml keys against flyctl's config model: where, and what was probably meant. */
import { expect, test } from 'vitest';
import { didYouMean, distance } from '../../../src/validate/fly-key-rules.js';
import { FLY_TOML_SCHEMA } from '../../../src/validate/fly-keys.js';
import { validateFiles } from '../../../src/validate/index.js';

const check = (text: string) =>
  validateFiles({ flyToml: { path: 'fly.toml', text } }).filter((f) => f.id === 'fly-unknown-key' || f.id === 'fly-autoscaling-block');

test.each([
  ['kill_timout', 'kill_timeout'],
  ['auto_stop_machine', 'auto_stop_machines'],
  ['primary-region', 'primary_region'],
  ['Swap_Size_MB', 'swap_size_mb'],
  ['concurency', 'concurrency'],
  ['gpu_knd', 'gpu_kind'],
  ['zzz_nothing_like_it', undefined],
])('%s → %s', (key, meant) => {
  const known = [
    ...Object.keys(FLY_TOML_SCHEMA),
    ...Object.keys(FLY_TOML_SCHEMA.http_service ?? {}),
    ...Object.keys(FLY_TOML_SCHEMA.vm ?? {}),
  ];
  expect(didYouMean(key, known)).toBe(meant);
});

test('distance counts an adjacent swap as one edit', () => {
  expect(distance('stratgey', 'strategy')).toBe(1);
  expect(distance('abc', 'abc')).toBe(0);
});

test('every finding names the section, the line and the suggestion', () => {
  const text =
    "app = 'a'\nkill_timout = 30\n\n[http_service]\n  internal_port = 8080\n  auto_stop_machine = 'stop'\n\n[[services.ports]]\n  prot = 80\n\n[checks.gpu]\n  type = 'http'\n  paht = '/gpu-health'\n";
  const found = check(text);
  expect(found.map((f) => [f.line, f.column, f.message.split(':')[0], f.fix])).toEqual([
    [2, 1, 'Unknown key kill_timout in the top level', 'Did you mean kill_timeout? Rename it.'],
    [6, 3, 'Unknown key auto_stop_machine in [http_service]', 'Did you mean auto_stop_machines? Rename it.'],
    [9, 3, 'Unknown key prot in [services.ports]', 'Did you mean port? Rename it.'],
    [13, 3, 'Unknown key paht in [checks.gpu]', 'Did you mean path? Rename it.'],
  ]);
  expect(found.every((f) => f.severity === 'warning')).toBe(true);
});

test("flyctl's own keys pass: launch output, [build] with build-target, [[restart]], [[files]], [[statics]], [experimental], [[checks]] with names", () => {
  const text = [
    "app = 'a'",
    "console_command = '/bin/bash'",
    'swap_size_mb = 512',
    '[build]',
    "  dockerfile = 'Dockerfile'",
    "  build-target = 'prod'",
    '  [build.args]',
    "    ANY_NAME = '1'",
    '[experimental]',
    '  auto_rollback = true',
    '[[restart]]',
    "  policy = 'on-failure'",
    '  retries = 3',
    '[[files]]',
    "  guest_path = '/etc/x'",
    "  secret_name = 'X'",
    '[[statics]]',
    "  guest_path = '/app/public'",
    "  url_prefix = '/static'",
    '[[checks]]',
    "  name = 'db'",
    "  type = 'tcp'",
    '  port = 5432',
    '[[services]]',
    "  protocol = 'tcp'",
    '  internal_port = 8080',
    '  [[services.ports]]',
    '    port = 443',
    "    handlers = ['tls', 'http']",
    '    [services.ports.tls_options]',
    "      alpn = ['h2']",
    '    [services.ports.http_options.response.headers]',
    "      X-Any = 'y'",
    '[[vm]]',
    "  cpu_kind = 'performance'",
    '  cpus = 2',
    '  memory_mb = 4096',
    "  persist_rootfs = 'always'",
  ].join('\n');
  expect(check(text)).toEqual([]);
});

test('[[autoscaling]] points at gpuctl autoscale instead of guessing a key', () => {
  const found = check("app = 'a'\n\n[[autoscaling]]\n  metric = 'gpu'\n");
  expect(found).toMatchObject([{ id: 'fly-autoscaling-block', line: 3 }]);
  expect(found[0]?.fix).toContain('gpuctl autoscale');
  expect(found[0]?.message).toContain('[[autoscaling]] is not a fly.toml section');
});
