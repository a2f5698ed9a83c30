/**
 * The Prometheus adapter against the real Prometheus server (scraping a prom-client registry served
 * here on loopback), and against small loopback servers for what a healthy Prometheus never does
 * (401, HTML, silence). Every server here is stopped in afterAll.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Gauge, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorization, describeOutcome, instantQuery, type QueryOutcome } from '../../src/prometheus/client.js';
import { gpuQuery, readAppGpus } from '../../src/prometheus/gpu-samples.js';
import { freePort, startPrometheus, type PromServer } from '../helpers/prometheus-server.js';

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const port = await freePort();
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/`, server };
}
const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));

describe('Prometheus adapter', () => {
  const registry = new Registry();
  const util = new Gauge({
    name: 'DCGM_FI_DEV_GPU_UTIL',
    help: 'GPU utilization (in %).',
    labelNames: ['gpu', 'Hostname'],
    registers: [registry],
  });
  const temp = new Gauge({
    name: 'DCGM_FI_DEV_GPU_TEMP',
    help: 'GPU temperature (in C).',
    labelNames: ['gpu', 'Hostname', 'UUID', 'modelName'],
    registers: [registry],
  });
  // Two more agents of the app without GPU series: one whose nvidia-smi has given nothing for 95 s (listed,
  // with why), and a CPU machine's (cpu fallback: not a GPU machine, not listed).
  const agentRegistry = (mode: string, age: number, hostname: string) => {
    const r = new Registry();
    new Gauge({ name: 'gpuctl_agent_info', help: 'i', labelNames: ['version', 'mode'], registers: [r] }).set({ version: '0.1.0', mode }, 1);
    new Gauge({ name: 'gpuctl_agent_last_sample_age_seconds', help: 'a', labelNames: ['Hostname'], registers: [r] }).set(
      { Hostname: hostname },
      age,
    );
    return r;
  };
  const hung = agentRegistry('gpu', 95, 'm2');
  const cpu = agentRegistry('cpu fallback', -1, 'm3');
  const others: Server[] = [];
  let target: Server;
  let prom: PromServer;

  beforeAll(async () => {
    util.set({ gpu: '0', Hostname: 'm1' }, 70);
    util.set({ gpu: '1', Hostname: 'm1' }, 90);
    temp.set({ gpu: '0', Hostname: 'm1', UUID: 'GPU-aaaa', modelName: 'NVIDIA H100 80GB HBM3' }, 41);
    temp.set({ gpu: '1', Hostname: 'm1', UUID: 'GPU-bbbb', modelName: 'NVIDIA H100 80GB HBM3' }, 57);
    const t = await serve((_req, res) => {
      void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
    });
    target = t.server;
    const more = await Promise.all(
      [hung, cpu].map((r) =>
        serve((_req, res) => void r.metrics().then((text) => res.writeHead(200, { 'content-type': r.contentType }).end(text))),
      ),
    );
    others.push(...more.map((m) => m.server));
    prom = await startPrometheus(
      [t, ...more].map((s) => ({ address: s.url.replace(/^http:\/\/|\/$/g, ''), labels: { app: 'quant-signals' } })),
    );
    await prom.waitFor('count_over_time(DCGM_FI_DEV_GPU_UTIL{gpu="0"}[1m])', (r) => Number(r[0]?.value?.[1] ?? 0) >= 3);
    await prom.waitFor('count(gpuctl_agent_info)', (r) => Number(r[0]?.value?.[1] ?? 0) >= 2);
  }, 40_000);

  afterAll(async () => {
    await prom?.stop();
    if (target) await close(target);
    for (const server of others) await close(server);
  });

  const ok = (o: QueryOutcome) => {
    if (o.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(o)}`);
    return o.data;
  };

  it('an instant vector, with the labels Prometheus adds', async () => {
    const data = ok(await instantQuery({ baseUrl: prom.url, timeoutMs: 5000 }, 'avg(DCGM_FI_DEV_GPU_UTIL{app="quant-signals"})'));
    expect(data.resultType).toBe('vector');
    if (data.resultType === 'vector') expect(Number(data.result[0]?.value[1])).toBe(80);
    const each = ok(await instantQuery({ baseUrl: prom.url, timeoutMs: 5000 }, 'DCGM_FI_DEV_GPU_UTIL'));
    if (each.resultType !== 'vector') throw new Error('vector expected');
    expect(each.result.map((r) => r.metric).sort((a, b) => (a.gpu ?? '').localeCompare(b.gpu ?? ''))[0]).toMatchObject({
      app: 'quant-signals',
      gpu: '0',
      Hostname: 'm1',
      job: 'gpu',
    });
  });

  it('a range subquery comes back as a matrix of samples', async () => {
    const data = ok(await instantQuery({ baseUrl: prom.url.replace(/\/$/, ''), timeoutMs: 5000 }, '(avg(DCGM_FI_DEV_GPU_UTIL))[3s:1s]'));
    expect(data.resultType).toBe('matrix');
    if (data.resultType === 'matrix') {
      expect(data.result[0]!.values.length).toBeGreaterThanOrEqual(2);
      expect(data.result[0]!.values.every(([, v]) => v === '80')).toBe(true);
    }
  });

  it("every GPU of an app, one record per machine (gpuctl monitor --app's read)", async () => {
    const read = await readAppGpus({ baseUrl: prom.url, timeoutMs: 5000 }, 'quant-signals', { at: new Date(), staleAfterSeconds: 60 });
    if (read.kind !== 'ok') throw new Error(read.reason);
    // m1 with its GPUs; m2, whose agent has no fresh GPU sample, with why; the CPU machine's agent not at all.
    expect(read.machines.map((x) => [x.id, x.error])).toEqual([
      ['m1', undefined],
      ['m2', "the agent's last GPU sample is 95 s old (nvidia-smi is failing or hung; the agent's /gpu-health says why)"],
    ]);
    expect(read.machines[1]).toMatchObject({ gpus: [], ageSeconds: 95 });
    expect(read.cpuAgents).toBe(1); // m3, counted so that an app of CPU machines alone can be told apart
    const [m] = read.machines;
    expect(m).toMatchObject({ id: 'm1', instance: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as string, processes: [] });
    expect(m!.error).toBeUndefined();
    expect(m!.ageSeconds).toBeLessThan(5);
    expect(m!.gpus.map((g) => [g.index, g.utilGpuPct, g.temperatureC, g.memoryUsedMiB])).toEqual([
      [0, 70, 41, null],
      [1, 90, 57, null],
    ]);
    expect(m!.gpus[1]).toMatchObject({ uuid: 'GPU-bbbb', name: 'NVIDIA H100 80GB HBM3' });
    expect(await readAppGpus({ baseUrl: prom.url, timeoutMs: 5000 }, 'other-app', { at: new Date() })).toEqual({
      kind: 'ok',
      machines: [],
      cpuAgents: 0,
    });
    expect(gpuQuery('a"b')).toContain('app="a\\"b"');
  });

  it('a bad query is a query-error value, not an exception', async () => {
    const outcome = await instantQuery({ baseUrl: prom.url, timeoutMs: 5000 }, 'avg(');
    expect(outcome).toMatchObject({ kind: 'query-error', errorType: 'bad_data' });
    expect(describeOutcome(outcome as Exclude<QueryOutcome, { kind: 'ok' }>, prom.url)).toMatch(
      /Prometheus refused the query \(bad_data\)/,
    );
  });

  it('nothing listening: unreachable', async () => {
    const port = await freePort();
    const outcome = await instantQuery({ baseUrl: `http://127.0.0.1:${port}/`, timeoutMs: 2000 }, 'up');
    expect(outcome).toMatchObject({ kind: 'unreachable', message: 'ECONNREFUSED' });
  });

  it('a server that never answers: timeout', async () => {
    const silent = await serve(() => undefined);
    const outcome = await instantQuery({ baseUrl: silent.url, timeoutMs: 300 }, 'up');
    expect(outcome).toEqual({ kind: 'timeout', timeoutMs: 300 });
    silent.server.closeAllConnections();
    await close(silent.server);
  });

  it('sends the token as Fly does, and a 401 names the variable but never the token', async () => {
    const seen: Array<string | undefined> = [];
    const guarded = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized');
    });
    const token = 'FlyV1 fm2_secretsecretsecret';
    const outcome = await instantQuery({ baseUrl: `${guarded.url}prometheus/personal/`, timeoutMs: 2000, token }, 'up');
    await instantQuery({ baseUrl: guarded.url, timeoutMs: 2000, token: 'plain-token-123' }, 'up');
    await close(guarded.server);
    expect(seen).toEqual([token, 'Bearer plain-token-123']);
    expect(outcome).toEqual({ kind: 'unauthorized', status: 401 });
    const text = describeOutcome(outcome as Exclude<QueryOutcome, { kind: 'ok' }>, guarded.url);
    expect(text).toContain('GPUCTL_PROMETHEUS_TOKEN');
    expect(text).not.toContain('fm2_');
    expect(authorization('  ')).toBeUndefined();
  });

  it('HTML from a proxy: an HTTP error; JSON of another shape: bad-response', async () => {
    let status = 502;
    const proxy = await serve((_req, res) => {
      if (status === 502) res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}');
    });
    expect(await instantQuery({ baseUrl: proxy.url, timeoutMs: 2000 }, 'up')).toMatchObject({ kind: 'http-error', status: 502 });
    status = 200;
    expect(await instantQuery({ baseUrl: proxy.url, timeoutMs: 2000 }, 'up')).toMatchObject({ kind: 'bad-response' });
    await close(proxy.server);
  });
});
