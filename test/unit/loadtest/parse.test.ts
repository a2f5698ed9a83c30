/** `gpuctl loadtest` flags: --duration required, the bounds, the gate values. */
import { expect, test } from 'vitest';
import { LIMITS, parseLoadtest } from '../../../src/commands/loadtest.js';

const parse = (args: string[], opts: Record<string, unknown>) => parseLoadtest({ args, opts });

test('a fixed rate: connections follow the rate up to 10; the gate is read in milliseconds', () => {
  const o = parse(['http://127.0.0.1:8080/'], { duration: '30s', rate: '200', maxP95: '10ms', minRps: '190' });
  expect(o.request).toMatchObject({ durationS: 30, rate: 200, connections: 10, method: 'GET', timeoutS: 10 });
  expect(o.gate).toEqual({ maxP95Ms: 10, minRps: 190 });
  expect(parse(['http://x/'], { duration: '5s', rate: '3' }).request.connections).toBe(3);
});

test('fixed concurrency, headers, method and body', () => {
  const o = parse(['http://127.0.0.1/'], {
    duration: '1m',
    connections: '32',
    header: ['Authorization: Bearer x', 'X-A: b'],
    method: 'post',
    body: '{}',
  });
  expect(o.request).toMatchObject({
    durationS: 60,
    rate: null,
    connections: 32,
    method: 'POST',
    body: '{}',
    headers: { Authorization: 'Bearer x', 'X-A': 'b' },
  });
});

test.each([
  [{}, /--duration is required/],
  [{ duration: '11m' }, /longer than the 600 s/],
  [{ duration: 'soon' }, /is not a duration/],
  [{ duration: '10s', rate: String(LIMITS.rate + 1) }, /--rate must be a number above 0 and at most 10000/],
  [{ duration: '10s', connections: '1001' }, /--connections must be a number above 0 and at most 1000/],
  [{ duration: '10s', connections: '2.5' }, /whole number/],
  [{ duration: '10s', rate: '0' }, /--rate must be a number above 0/],
  [{ duration: '10s', maxP95: 'fast' }, /--max-p95 "fast" is not a duration/],
  [{ duration: '10s', method: 'TRACE' }, /--method TRACE/],
  [{ duration: '10s', header: ['nocolon'] }, /is not "Name: value"/],
  [{ duration: '10s', app: 'x' }, /Give a URL or -a, not both/],
])('%o is refused (exit 2)', (opts, message) => {
  let thrown: unknown;
  try {
    parse(['http://127.0.0.1/'], opts);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toMatchObject({ exitCode: 2 });
  expect((thrown as Error).message).toMatch(message);
});

// issue 18: --rate 0.5 ended in "This is a bug in gpuctl"; a CR/LF in a header injected another header.
test.each([
  [{ duration: '10s', rate: '0.5' }, '--rate must be at least 1, not "0.5".'],
  [{ duration: '10s', header: ['X-A: b\r\nX-Injected: 1'] }, /character a header cannot have/],
  [{ duration: '10s', header: ['X A: b'] }, /character a header cannot have/],
  [{ duration: '10s', header: ['X-A\n: b'] }, /character a header cannot have/],
])('refuses %j', (opts, message) => {
  expect(() => parse(['http://127.0.0.1/'], opts)).toThrow(message);
});

test('--path with a URL is refused: the URL is loaded as given, and --path was dropped without a word', () => {
  expect(() => parse(['http://127.0.0.1:8080/'], { duration: '5s', path: '/predict' })).toThrow(
    expect.objectContaining({
      message: "--path goes with the app's hostname, not with a URL.",
      hint: 'Put the path in the URL itself, or give -a <app> (and --path) instead of the URL.',
    }) as Error,
  );
  // -c has no commander default here (it is given or absent): a URL without it is loaded, and -c defaults to fly.toml
  expect(parse(['http://127.0.0.1:8080/'], { duration: '5s' })).toMatchObject({ url: 'http://127.0.0.1:8080/', config: 'fly.toml' });
  expect(parse([], { duration: '5s', app: 'quant-signals', path: '/predict' }).path).toBe('/predict');
});

test('-c with a URL is refused (it was dropped); -c N names --connections, as autocannon, hey and wrk spell -c', () => {
  expect(() => parse(['http://127.0.0.1:8080/'], { duration: '5s', config: 'other/fly.toml' })).toThrow(
    expect.objectContaining({ message: '-c/--config goes with the app of a fly.toml, not with a URL.' }) as Error,
  );
  for (const args of [['http://127.0.0.1:8080/'], []])
    expect(() => parse(args, { duration: '5s', config: '50' })).toThrow(
      expect.objectContaining({
        message: '-c 50: -c is the path to fly.toml here, as in flyctl.',
        hint: 'For 50 concurrent connections, use --connections 50.',
      }) as Error,
    );
  expect(parse([], { duration: '5s', config: 'deploy/fly.toml' }).config).toBe('deploy/fly.toml');
});

test('-r is --region in gpuctl (deploy, scale), not the rate: refused with the way to the rate or to another region', () => {
  expect(() => parse(['http://127.0.0.1:8080/'], { duration: '5s', region: '50' })).toThrow(
    expect.objectContaining({
      message: '-r 50: -r is --region in gpuctl, as in flyctl, and loadtest sends from this machine.',
      hint: "For 50 requests per second, use -R 50 (--rate, autocannon's and wrk2's -R).",
    }) as Error,
  );
  expect(() => parse([], { duration: '5s', app: 'quant-signals', region: 'ord' })).toThrow(
    expect.objectContaining({
      hint: "To load the app's machines in ord, send Fly's routing header: -H 'fly-prefer-region: ord'.",
    }) as Error,
  );
});

test("--help's examples parse: the CI example still said -r 100 after -r stopped meaning --rate", async () => {
  const [{ runCli }, { loadtestCommand }, { cliIO, makeTestCtx }] = await Promise.all([
    import('../../../src/cli.js'),
    import('../../../src/commands/loadtest.js'),
    import('../../helpers/ctx.js'),
  ]);
  // The examples against the app: with loopback only, a parsed one stops at that check (exit 2) before any request.
  const remote = (loadtestCommand.examples ?? []).map(([e]) => e).filter((e) => !e.includes('127.0.0.1'));
  expect(remote.length).toBeGreaterThan(1);
  for (const example of remote) {
    const ctx = makeTestCtx({ env: { GPUCTL_LOADTEST_LOOPBACK_ONLY: '1', FLY_APP: 'quant-signals' } });
    expect(await runCli(cliIO(example.split(' ').slice(1), ctx)), example).toBe(2);
    expect(ctx.err(), example).toContain('is not a loopback address');
  }
});
