import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli.js';
import { parseMonitorOptions } from '../../../src/commands/monitor.js';
import { UsageError } from '../../../src/errors.js';
import { parseTarget } from '../../../src/loadtest/target.js';
import { parseHttpUrl, PROMETHEUS_URL } from '../../../src/shared/http-url.js';
import { cliIO, makeTestCtx } from '../../helpers/ctx.js';

const refusal = (f: () => unknown): UsageError | undefined => {
  try {
    f();
  } catch (e) {
    return e as UsageError;
  }
  return undefined;
};

describe('parseHttpUrl: the one reading of a URL a user gives', () => {
  it('http(s) URLs as fetch parses them (health --url, monitor --agent and --prometheus, autoscale, loadtest)', () => {
    for (const text of ['http://127.0.0.1:8080', 'https://api.fly.io/prometheus/acme/', 'http://[::1]:9090', 'http://127.0.0.1:6000'])
      expect(parseHttpUrl(text, '--url', { credentials: 'refuse' }).href, text).toBe(new URL(text).href);
    for (const text of ['quant-signals.fly.dev', 'ftp://x', 'http://a b', 'http://[::1', 'http://127.0.0.1:99999', ''])
      expect(() => parseHttpUrl(text, '--url', { credentials: 'refuse' }), text).toThrow(`--url must be an http(s) URL, not "${text}".`);
  });

  it('one wording for every command: loadtest said "is not a URL" and "is not an http(s) URL"', () => {
    expect(() => parseTarget('my-app.fly.dev')).toThrow('The URL to load must be an http(s) URL, not "my-app.fly.dev".');
    expect(() => parseTarget('ftp://x')).toThrow('The URL to load must be an http(s) URL, not "ftp://x".');
    // loadtest sends a password (autocannon's basic auth) and hides it: allowed there.
    expect(parseTarget('http://u:pw@127.0.0.1:8080/').password).toBe('pw');
  });

  it('never repeats a password: the not-http(s) refusal printed the text as given', () => {
    for (const text of ['ftp://admin:s3cret@example.com/', 'http://admin:s3cret@[::1', 'svn://admin:s3cret@host']) {
      const error = refusal(() => parseHttpUrl(text, '--agent', { credentials: 'refuse' }));
      expect(error, text).toBeInstanceOf(UsageError);
      expect(`${error?.message} ${error?.hint}`, text).not.toContain('s3cret');
    }
    expect(refusal(() => parseTarget('ftp://admin:s3cret@example.com/'))?.message).not.toContain('s3cret');
  });

  it('a Prometheus URL with credentials is refused in parse (fetch refused it at the first query)', () => {
    const error = refusal(() =>
      parseMonitorOptions({ args: [], opts: { app: 'quant-signals', prometheus: 'https://me:tok@prom.example/' } }),
    );
    expect(error).toBeInstanceOf(UsageError);
    expect(error?.message).toBe(
      '--prometheus holds credentials (user:password@) in its URL; gpuctl sends none from a URL, and would print them.',
    );
    expect(error?.hint).toBe(PROMETHEUS_URL.credentialsHint);
    expect(`${error?.message} ${error?.hint}`).not.toContain('tok@');
  });

  it('autoscale names the variable a bad URL came from (it said --prometheus for GPUCTL_PROMETHEUS_URL)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-http-url-'));
    writeFileSync(
      join(dir, 'autoscale.toml'),
      'app = "hot"\nmin = 1\nmax = 4\n\n[scale_up]\nabove = 80\nfor = "3s"\n\n[scale_down]\nbelow = 30\nfor = "5s"\n',
    );
    const ctx = { ...makeTestCtx({ env: { GPUCTL_PROMETHEUS_URL: 'ftp://prom.example/' } }), cwd: dir };
    expect(await runCli(cliIO(['autoscale', 'run', '--policy', 'autoscale.toml', '--once'], ctx))).toBe(2);
    expect(ctx.err()).toContain('GPUCTL_PROMETHEUS_URL must be an http(s) URL, not "ftp://prom.example/".');
  });
});
