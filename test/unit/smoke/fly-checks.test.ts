/**
 * What smoke probes for each fly.toml, read as flyctl reads it (service.go toMachineService, toplevelcheck.go,
 * patches.go), and the evidence each probe's result carries. On the code before these tests every service was
 * probed with GET /health (or the first check's path) whatever it declared: a tcp_checks-only service was an HTTP
 * probe, and method, protocol, headers and the check's timeout were ignored.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFlyToml } from '../../../src/flyio/fly-toml.js';
import { checkDurationMs, flyProbes, type Probe } from '../../../src/smoke/fly-checks.js';
import { headerShown, probeFailed, probeHow, probePassed, probeTitle } from '../../../src/smoke/probe-checks.js';

const probes = (toml: string, agentPort: number | null = null): Probe[] => {
  const parsed = parseFlyToml(toml);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return flyProbes(parsed.doc, agentPort);
};

describe('flyProbes: what each fly.toml asks smoke to check', () => {
  it('a [[services]] with only tcp_checks is a TCP connect on its internal port, with the check timeout, grace period and interval', () => {
    const [p, ...rest] = probes(
      "[[services]]\n  internal_port = 5432\n  protocol = 'tcp'\n[[services.tcp_checks]]\n  interval = '15s'\n  timeout = '2s'\n  grace_period = '1s'\n",
    );
    expect(rest).toEqual([]);
    expect(p).toEqual({
      kind: 'tcp',
      source: '[[services.tcp_checks]]',
      port: 5432,
      timeoutMs: 2000,
      timeoutSet: true,
      gracePeriodMs: 1000,
      intervalMs: 15_000,
      intervalSet: true,
      topLevel: false,
      processes: [],
      implied: false,
    });
  });

  it('http_checks as written: the method upper-cased, path, https with tls_skip_verify, headers in both forms, integer ms', () => {
    const [tcp, http] = probes(
      '[[services]]\n  internal_port = 8443\n[[services.tcp_checks]]\n[[services.http_checks]]\n' +
        "  method = 'post'\n  path = '/ready'\n  protocol = 'https'\n  tls_skip_verify = true\n  tls_server_name = 'api.internal'\n" +
        '  timeout = 2500\n  grace_period = 0\n  [services.http_checks.headers]\n    Authorization = "Bearer s3cret"\n    X-Forwarded-Proto = "https"\n',
    );
    expect(tcp).toMatchObject({
      kind: 'tcp',
      port: 8443,
      timeoutMs: 5000,
      timeoutSet: false,
      gracePeriodMs: null,
      intervalMs: 1000,
      intervalSet: false,
    });
    expect(http).toEqual({
      kind: 'http',
      source: '[[services.http_checks]]',
      port: 8443,
      method: 'POST',
      path: '/ready',
      protocol: 'https',
      tlsSkipVerify: true,
      tlsServerName: 'api.internal',
      headers: { Authorization: 'Bearer s3cret', 'X-Forwarded-Proto': 'https' },
      timeoutMs: 2500,
      timeoutSet: true,
      gracePeriodMs: 0,
      intervalMs: 1000,
      intervalSet: false,
      topLevel: false,
      processes: [],
    });
    const [legacy] = probes(
      "[[services]]\n  internal_port = 80\n[[services.http_checks]]\n  headers = [{ name = 'X-A', value = 1 }, { name = 'X-B' }]\n",
    );
    expect(legacy).toMatchObject({ method: 'GET', path: '/', protocol: 'http', headers: { 'X-A': '1', 'X-B': '' } });
  });

  it("[http_service]'s checks are HTTP; Fly's bounds apply (under 1 s raised, over a minute lowered)", () => {
    expect(
      probes(
        "[http_service]\n  internal_port = 8080\n[[http_service.checks]]\n  path = 'health'\n  timeout = 500\n  grace_period = '5m'\n  interval = 200\n",
      ),
    ).toMatchObject([
      { kind: 'http', source: '[[http_service.checks]]', path: '/health', timeoutMs: 1000, gracePeriodMs: 60_000, intervalMs: 1000 },
    ]);
    expect(probes("[http_service]\n  internal_port = 8080\n[[http_service.checks]]\n  interval = '2m'\n")[0]?.intervalMs).toBe(60_000);
  });

  it('a service with no check at all: a TCP connect said to be implied (Fly runs none); every service is probed', () => {
    expect(
      probes('[http_service]\n  internal_port = 8080\n[[services]]\n  internal_port = 9000\n  [[services.tcp_checks]]\n'),
    ).toMatchObject([
      { kind: 'tcp', port: 8080, source: '[http_service]', implied: true },
      { kind: 'tcp', port: 9000, source: '[[services.tcp_checks]]', implied: false },
    ]);
  });

  it("the layout init writes: its [[http_service.checks]] GET /health; [checks.gpu] is the agent's (docs/smoke.md's example row)", () => {
    const fly = readFileSync(new URL('../../fixtures/init/training-l40s/expected/fly.toml', import.meta.url), 'utf8');
    const all = probes(fly, 9091);
    expect(all).toHaveLength(1);
    expect(probePassed(all[0]!, 'HTTP 200', 60_200).evidence).toBe(
      'HTTP 200 after 60.2 s: GET http://:8080/health ([[http_service.checks]]), timeout 5 s, grace_period 60 s, interval 15 s; redirects not followed, 2xx passes (as Fly)',
    );
  });

  it('a UDP service without checks has nothing to connect to: no probe', () => {
    expect(probes("[[services]]\n  internal_port = 5353\n  protocol = 'udp'\n")).toEqual([]);
  });

  it("top-level [checks] of type tcp or http (map or array form); the agent's own port is left to the agent checks", () => {
    const toml =
      "[http_service]\n  internal_port = 8080\n  [[http_service.checks]]\n    path = '/health'\n" +
      "[checks.gpu]\n  type = 'http'\n  port = 9091\n  path = '/gpu-health'\n" +
      "[checks.db]\n  type = 'tcp'\n  port = 5432\n[checks.status]\n  type = 'http'\n  port = 5500\n  method = 'head'\n  path = '/status'\n" +
      '[checks.bad]\n  port = 1234\n';
    expect(probes(toml, 9091).map((p) => [p.source, p.kind, p.port, p.topLevel])).toEqual([
      ['[[http_service.checks]]', 'http', 8080, false],
      ['[checks.db]', 'tcp', 5432, true],
      ['[checks.status]', 'http', 5500, true],
    ]);
    expect(probes("[[checks]]\n  name = 'db'\n  type = 'tcp'\n  port = 5432\n")).toMatchObject([{ source: '[checks.db]', kind: 'tcp' }]);
    // Without a port, flyctl gives it [http_service]'s internal_port; without [http_service] there is none to give.
    expect(
      probes("[http_service]\n  internal_port = 8080\n  [[http_service.checks]]\n[checks.ready]\n  type = 'http'\n  path = '/ready'\n"),
    ).toMatchObject([{ source: '[[http_service.checks]]' }, { source: '[checks.ready]', port: 8080, path: '/ready' }]);
    expect(probes("[[services]]\n  internal_port = 9000\n  [[services.tcp_checks]]\n[checks.ready]\n  type = 'tcp'\n")).toHaveLength(1);
  });

  it('check durations: integers are milliseconds, strings Go durations; anything else is unset', () => {
    expect([
      checkDurationMs(1500),
      checkDurationMs('2s'),
      checkDurationMs('1m30s'),
      checkDurationMs('0'),
      checkDurationMs('500ms'),
    ]).toEqual([1500, 2000, 90_000, 0, 500]);
    expect([checkDurationMs('10'), checkDurationMs('soon'), checkDurationMs(undefined), checkDurationMs(-1)]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('the evidence of a probe', () => {
  const [tcpOnly] = probes("[[services]]\n  internal_port = 5432\n[[services.tcp_checks]]\n  timeout = '2s'\n");
  const [implied] = probes('[http_service]\n  internal_port = 8080\n');

  it('a TCP check says "tcp connect" and where smoke differs from Fly', () => {
    expect(probeTitle(tcpOnly!)).toBe('application tcp :5432');
    expect(probePassed(tcpOnly!, 'connection accepted', 300)).toEqual({
      id: 'app-health',
      title: 'application tcp :5432',
      status: 'pass',
      evidence:
        "connection accepted after 0.3 s: tcp connect to 5432 ([[services.tcp_checks]]), timeout 2 s, interval 1 s (smoke's; fly.toml names none); through the engine's port mapping, not Fly's proxy",
    });
    expect(probeHow(implied!)).toContain('[http_service] has no check: Fly runs none, smoke checks the port accepts connections');
    expect(probeFailed(tcpOnly!, { exited: null, last: 'connection refused', waitMs: 3000 }).evidence).toMatch(
      /^no connection held within 3 s; last: connection refused; tcp connect to 5432/,
    );
  });

  it('an HTTP check names method, URL and headers, never a credential, and what TLS verified', () => {
    const [, http] = probes(
      "[[services]]\n  internal_port = 8443\n[[services.tcp_checks]]\n[[services.http_checks]]\n  method = 'post'\n  path = '/ready'\n  protocol = 'https'\n" +
        '  [services.http_checks.headers]\n    Authorization = "Bearer s3cret"\n    X-Api-Key = "k"\n    X-Trace = "Basic abc"\n    X-Forwarded-Proto = "https"\n',
    );
    const how = probeHow(http!);
    expect(how).not.toMatch(/s3cret|abc|"k"|: k\b/);
    expect(how).toContain(
      'POST https://:8443/ready ([[services.http_checks]]), headers Authorization: (redacted), X-Api-Key: (redacted), X-Trace: (redacted), X-Forwarded-Proto: https',
    );
    expect(how).toContain(
      "https: certificate verified against this machine's CAs for 127.0.0.1 (Fly checks it against the Machine's private address",
    );
    expect(how).toContain(
      "timeout 5 s (smoke's; fly.toml names none), interval 1 s (smoke's; fly.toml names none); redirects not followed, 2xx passes (as Fly)",
    );
    expect(probeTitle(http!)).toBe('application POST /ready');
    const [skip] = probes(
      "[http_service]\n  internal_port = 443\n[[http_service.checks]]\n  protocol = 'https'\n  tls_skip_verify = true\n  grace_period = '90s'\n",
    );
    expect(probeHow(skip!)).toContain('https: certificate not verified (tls_skip_verify), timeout 5 s');
    expect(probeFailed(skip!, { exited: null, last: 'HTTP 302', waitMs: 30_000 }).evidence).toMatch(
      /^no 2xx within 30 s \(shorter than its grace_period 60 s: raise --wait-timeout\); last: HTTP 302; GET https:/,
    );
    expect(headerShown('Cookie', 'a=b')).toBe('Cookie: (redacted)');
  });
});
