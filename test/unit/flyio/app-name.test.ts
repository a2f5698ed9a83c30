/** issue 18: an app name reached flyctl as a flag (`--app=--help`, FLY_APP, `app = "--help"` in fly.toml). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFlyAppName, isFlyAppName, resolveAppName } from '../../../src/flyio/app-name.js';
import { UsageError } from '../../../src/errors.js';

describe('Fly app names', () => {
  it.each(['q', 'quant-signals', 'a1-b2', `a${'b'.repeat(62)}`])('%s is a name', (name) => expect(isFlyAppName(name)).toBe(true));
  it.each(['', '--help', '--org=evil', 'My_App', '1app', 'a.b', 'example.com/x?', 'x\n[[services]]', `a${'b'.repeat(63)}`])(
    '%j is not',
    (name) => expect(isFlyAppName(name)).toBe(false),
  );

  it('says where the bad name came from', () => {
    expect(() => checkFlyAppName('--help', 'FLY_APP')).toThrow('FLY_APP "--help" is not a valid Fly app name.');
  });

  it('checks -a, FLY_APP and fly.toml alike', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gpuctl-app-'));
    writeFileSync(join(cwd, 'fly.toml'), 'app = "--help"\n');
    await expect(resolveAppName({ cwd, env: {} }, '--org=evil', 'fly.toml')).rejects.toThrow(UsageError);
    await expect(resolveAppName({ cwd, env: { FLY_APP: '--help' } }, undefined, 'fly.toml')).rejects.toThrow('FLY_APP "--help"');
    await expect(resolveAppName({ cwd, env: {} }, undefined, 'fly.toml')).rejects.toThrow('`app` in fly.toml "--help"');
    writeFileSync(join(cwd, 'fly.toml'), 'app = "good-app"\n');
    await expect(resolveAppName({ cwd, env: {} }, undefined, 'fly.toml')).resolves.toBe('good-app');
  });
});
