/** fly.toml that `flyctl deploy` refuses in its own Config.Validate: process groups and [[restart]] policies. */
import { expect, test } from 'vitest';
import { validateFiles } from '../../../src/validate/index.js';

const ids = (text: string) => validateFiles({ flyToml: { path: 'fly.toml', text } }).map((f) => [f.id, f.line, f.message]);

test('a service naming a group [processes] lacks, and [[restart]] naming one, are errors at their lines', () => {
  const text = `app = "api"\n[processes]\n  web = "python -m app"\n[http_service]\n  internal_port = 8080\n  processes = ["app"]\n[[restart]]\n  policy = "always"\n  processes = ["worker"]\n`;
  expect(ids(text)).toEqual([
    [
      'process-group-unknown',
      6,
      expect.stringContaining("[http_service] names the process group 'app', but no process group has that name (defined: 'web')"),
    ],
    ['process-group-unknown', 9, expect.stringContaining("[[restart]] names the process group 'worker'")],
  ]);
});

test("without [processes] the one group is 'app'", () => {
  const ok = `app = "api"\n[[services]]\n  internal_port = 8080\n  protocol = "tcp"\n  processes = ["app"]\n  [[services.ports]]\n    port = 80\n`;
  expect(ids(ok)).toEqual([]);
  expect(ids(ok.replace('["app"]', '["web"]')).map((f) => f[0])).toEqual(['process-group-unknown']);
});

test('a service without processes when [processes] has groups', () => {
  const text = `app = "api"\n[processes]\n  web = "a"\n  worker = "b"\n[http_service]\n  internal_port = 8080\n`;
  expect(ids(text)).toEqual([
    ['service-processes-missing', 5, expect.stringContaining('has no processes set but the app has 2 process group(s)')],
  ]);
});

test('a [[restart]] policy flyctl does not parse, or none', () => {
  expect(ids(`app = "api"\n[[restart]]\n  policy = "no"\n`)).toEqual([
    ['restart-policy-invalid', 3, expect.stringContaining('invalid restart policy: no')],
  ]);
  expect(ids(`app = "api"\n[[restart]]\n  retries = 3\n`).map((f) => f.slice(0, 2))).toEqual([['restart-policy-invalid', 2]]);
  for (const policy of ['always', 'never', 'on-failure']) expect(ids(`app = "api"\n[[restart]]\n  policy = "${policy}"\n`)).toEqual([]);
});

test('a [[services]] without ports is a warning, as flyctl gives it', () => {
  const text = `app = "api"\n[[services]]\n  internal_port = 8080\n  protocol = "tcp"\n`;
  expect(validateFiles({ flyToml: { path: 'fly.toml', text } }).map((f) => [f.id, f.severity, f.line])).toEqual([
    ['service-without-ports', 'warning', 2],
  ]);
  expect(ids(`${text}  [[services.ports]]\n    port = 443\n`)).toEqual([]);
});
