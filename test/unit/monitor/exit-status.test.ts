/**
 * monitor's one exit rule, for every source, through the CLI boundary in-process: each sample is printed in
 * full, a machine that gave no fresh GPU data listed with its error; --once exits 1 when any machine of the
 * sample has one (before, --app exited 0 with a stale machine listed while --agent exited 1 and printed no
 * sample); a --json stream goes on through it until Ctrl-C. The agents and Prometheus are real HTTP servers
 * on loopback answering in their formats (the agent's exposition text, Prometheus's query API JSON).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli.js';
import { METRICS_PORT } from '../../../src/init/render.js';
import type { Ctx } from '../../../src/context.js';
import { fakeClock, settle } from '../../helpers/clock.js';
import { exited, makeTestCtx, type TestCtx } from '../../helpers/ctx.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve())));
});

async function serve(answer: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => void (body += c.toString()));
    req.on('end', () => answer(req, body, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const GPU = '{gpu="0",UUID="GPU-1",modelName="NVIDIA H200",Hostname="m1"}';
/** An agent's /metrics: GPU series while its sample is fresh; none, with the sample's age, once it is stale (as the agent drops them). */
const agent = (ageSeconds: number) =>
  serve((_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    const own = `gpuctl_agent_info{version="0.1.0",mode="gpu"} 1\ngpuctl_agent_last_sample_age_seconds{Hostname="m1"} ${ageSeconds}\n`;
    res.end(ageSeconds < 10 ? `${own}DCGM_FI_DEV_GPU_UTIL${GPU} 55\nDCGM_FI_DEV_GPU_TEMP${GPU} 40\n` : own);
  });

/** Prometheus's /api/v1/query for app "desk": two machines' GPU series, m2's last scraped `m2Age` seconds before the query's time. */
const prometheus = (m2Age: number) =>
  serve((_req, body, res) => {
    const form = new URLSearchParams(body);
    const query = form.get('query') ?? '';
    const t = Number(form.get('time'));
    const labels = (i: string) => ({ app: 'desk', instance: `${i}:9400`, Hostname: i, region: 'ams', gpu: '0', modelName: 'NVIDIA H200' });
    const result = query.includes('timestamp(')
      ? [
          { metric: { instance: 'm1:9400' }, value: [t, String(t - 5)] },
          { metric: { instance: 'm2:9400' }, value: [t, String(t - m2Age)] },
        ]
      : query.includes(' and on ')
        ? []
        : ['m1', 'm2'].map((i) => ({ metric: { __name__: 'DCGM_FI_DEV_GPU_UTIL', ...labels(i) }, value: [t, '30'] }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
  });

type Options = { rules?: NonNullable<Parameters<typeof makeTestCtx>[0]>['rules']; ctx?: (c: TestCtx) => Ctx; signal?: AbortSignal };

async function monitor(argv: string[], options: Options = {}) {
  let ctx: TestCtx | undefined;
  const code = await runCli({
    argv: ['monitor', ...argv],
    env: {},
    cwd: '/',
    stdout: { isTTY: false, write: (t: string) => void ctx?.stdout.write(t) },
    stderr: { isTTY: false, write: (t: string) => void ctx?.stderr.write(t) },
    stdinTTY: false,
    signal: options.signal ?? new AbortController().signal,
    host: makeTestCtx().host,
    makeContext: (flags) => {
      ctx = makeTestCtx({ json: flags.json, ...(options.rules ? { rules: options.rules } : {}) });
      return options.ctx ? options.ctx(ctx) : ctx;
    },
  });
  return { code, out: ctx?.out() ?? '', err: ctx?.err() ?? '' };
}

type Record = { machines: Array<{ id: string; error?: string; gpus: unknown[] }>; alerts: Array<{ kind: string; machine: string }> };

describe('monitor exit status: --once says whether every machine gave fresh GPU data; the sample is printed in full', () => {
  it('--app: a machine whose samples are stale is listed, and --once exits 1 (it exited 0); all fresh exits 0', async () => {
    const stale = await prometheus(300);
    const json = await monitor(['--app', 'desk', '--prometheus', stale, '--once', '--json']);
    expect(json.code).toBe(1);
    const record = JSON.parse(json.out) as Record;
    expect(record.machines.map((m) => [m.id, m.gpus.length, m.error])).toEqual([
      ['m1', 1, undefined],
      ['m2', 1, 'no sample for 300 s'],
    ]);
    expect(record.alerts.map((a) => [a.kind, a.machine])).toEqual([['unreadable', 'm2']]);
    expect(json.err).toBe(''); // --json: the record carries it, no second document
    const screen = await monitor(['--app', 'desk', '--prometheus', stale, '--once']);
    expect(screen.code).toBe(1);
    expect(screen.out).toMatch(/^m1 {2}ams {2}1 GPU$/m);
    expect(screen.out).toMatch(/^m2 {2}ams {2}1 GPU\n {2}no sample for 300 s$/m);
    expect(screen.err).toBe('Error: No fresh GPU data from m2 (1 of 2 machines): no sample for 300 s.\n');
    expect((await monitor(['--app', 'desk', '--prometheus', await prometheus(5), '--once', '--json'])).code).toBe(0);
  });

  it('--app: Prometheus not answering is the sample too (the app, with why), exit 1', async () => {
    const down = await serve((_req, _body, res) => void (res.writeHead(503), res.end('overloaded')));
    const r = await monitor(['--app', 'desk', '--prometheus', down, '--once', '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as Record).machines).toEqual([
      {
        id: 'desk',
        gpus: [],
        processes: [],
        error: `cannot read its GPUs from Prometheus: Prometheus at ${down}/ answered HTTP 503: overloaded`,
      },
    ]);
  });

  it('--app whose agents all run in CPU fallback: says so (it asked whether [metrics] points at the agent), exit 1', async () => {
    const seen: string[] = [];
    const prom = await serve((_req, body, res) => {
      const query = new URLSearchParams(body).get('query') ?? '';
      seen.push(query);
      const t = Number(new URLSearchParams(body).get('time'));
      // Prometheus's answer for two CPU machines' agents: no GPU series, no GPU agents, a count of 2 in CPU fallback
      const result =
        query.startsWith('count(gpuctl_agent_info') && query.includes('mode="cpu fallback"') ? [{ metric: {}, value: [t, '2'] }] : [];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    });
    const r = await monitor(['--app', 'desk', '--prometheus', prom, '--once', '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as Record).machines.map((m) => m.error)).toEqual([
      'no GPU series for app desk in Prometheus: its 2 gpuctl agents run in CPU fallback (no nvidia-smi: machines without a GPU, or no NVIDIA driver in the image)',
    ]);
    expect(seen).toContain('count(gpuctl_agent_info{app="desk",mode="cpu fallback"})');
  });

  it('--prometheus pointed at something else (an agent answers 405 to a POST): asks whether it is Prometheus', async () => {
    // what gpuctl agent (agent/server.ts) answers a POST with
    const agentPort = await serve(
      (_req, _body, res) => void (res.writeHead(405, { 'content-type': 'application/json' }), res.end('{"error":"only GET and HEAD"}')),
    );
    const r = await monitor(['--app', 'desk', '--prometheus', agentPort, '--once', '--json']);
    expect((JSON.parse(r.out) as Record).machines[0]!.error).toBe(
      `cannot read its GPUs from Prometheus: Prometheus at ${agentPort}/ answered HTTP 405: {"error":"only GET and HEAD"} (is it Prometheus? Its query API is ${agentPort}/api/v1/query)`,
    );
  });

  it('--agent: an agent with no fresh sample is printed beside the one that answered (it printed neither), exit 1', async () => {
    const [fresh, stale] = [await agent(1), await agent(73)];
    const r = await monitor(['--app', 'desk', '--agent', fresh, '--agent', stale, '--once', '--json']);
    expect(r.code).toBe(1);
    const record = JSON.parse(r.out) as Record;
    expect(record.machines.map((m) => [m.gpus.length, m.error?.replace(/ \(.*/, '')])).toEqual([
      [1, undefined],
      [0, "the agent's last GPU sample is 73 s old"],
    ]);
    expect((await monitor(['--app', 'desk', '--agent', fresh, '--once'])).code).toBe(0);
  });

  it('--agent on a CPU agent (no nvidia-smi, CPU fallback): one sentence naming the machine once (it printed "1 of 1 machine: HOST: URL is a gpuctl agent …")', async () => {
    const cpu = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      // what `gpuctl agent` serves without nvidia-smi (run here on a machine without one): host series and its own, no GPU series
      res.end(
        'gpuctl_host_cpus 2\ngpuctl_agent_last_sample_age_seconds{Hostname="vm"} -1\ngpuctl_agent_gpus{Hostname="vm"} 0\n' +
          'gpuctl_agent_info{version="0.1.0",mode="cpu fallback"} 1\n',
      );
    });
    const host = new URL(cpu).host;
    const why = 'the agent found no nvidia-smi (CPU fallback): a machine without a GPU, or no NVIDIA driver in its image';
    const screen = await monitor(['--app', 'desk', '--agent', cpu, '--once']);
    expect(screen.code).toBe(1);
    expect(screen.out).toContain(`\n${host}  0 GPUs\n  ${why}\n  Processes\n    none\n\nALERT: ${host}: ${why}\n`);
    expect(screen.err).toBe(`Error: No fresh GPU data from ${host}: ${why}.\n`);
    const down = await monitor(['--app', 'desk', '--agent', cpu, '--agent', 'http://127.0.0.1:1', '--once']);
    expect(down.err).toBe(
      `Error: No fresh GPU data from 2 of 2 machines: ${host}: ${why}; 127.0.0.1:1: unreachable (connect ECONNREFUSED 127.0.0.1:1).\n`,
    );
  });

  it('local: a failed nvidia-smi is the sample (exit 1, the screen shows it), not an error alone', async () => {
    const timeout = {
      match: (r: { file: string }) => r.file === 'nvidia-smi',
      result: { kind: 'timeout', timeoutMs: 10_000, stdout: '', stderr: '' },
    } as const;
    const r = await monitor(['--once', '--json'], { rules: [timeout] });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as Record).machines.map((m) => m.error)).toEqual(['nvidia-smi did not answer within 10 s.']);
  });

  it('a --json stream goes on through a stale agent (it ended at the first record with exit 1), until Ctrl-C (130)', async () => {
    const stale = await agent(73);
    const clock = fakeClock();
    const abort = new AbortController();
    let seen: TestCtx | undefined;
    let ended = false;
    const running = monitor(['--app', 'desk', '--agent', stale, '--json', '--interval', '1s'], {
      ctx: (c) => ((seen = c), { ...c, clock, signal: abort.signal }),
      signal: abort.signal,
    }).finally(() => (ended = true));
    const records = () => (seen?.out() ?? '').split('\n').filter(Boolean).length;
    for (let n = 1; n <= 2 && !ended; n += 1) {
      while (records() < n && !ended) await settle();
      await clock.advance(1000);
    }
    expect(ended).toBe(false);
    abort.abort();
    const r = await running;
    expect(r.code).toBe(130);
    const errors = r.out
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as Record).machines[0]?.error?.replace(/ \(.*/, ''));
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(new Set(errors)).toEqual(new Set(["the agent's last GPU sample is 73 s old"]));
  });

  it('--json: an error that ends the stream is one more NDJSON line (it was an indented document after the records)', async () => {
    let calls = 0;
    // nvidia-smi answers the first sample (no GPUs, no processes), then is gone (a driver unloaded): monitor ends, exit 3
    const smi = {
      match: (r: { file: string }) => r.file === 'nvidia-smi',
      result: () => (++calls <= 2 ? exited('') : ({ kind: 'not-found', file: 'nvidia-smi' } as const)),
    };
    const r = await monitor(['--json', '--interval', '1s'], {
      rules: [smi],
      ctx: (c) => ({ ...c, clock: fakeClock({ autoAdvance: true }) }),
    });
    expect(r.code).toBe(3);
    const lines = r.out.split('\n').filter(Boolean);
    expect(lines.map((l) => Object.keys(JSON.parse(l) as object)[0])).toEqual(['schemaVersion', 'error']);
  });

  it("--help's flyctl proxy example and the --agent hint reach the agent on the port gpuctl init gives it (they proxied 9400 to 9400)", async () => {
    const { monitorCommand } = await import('../../../src/commands/monitor.js');
    const examples = (monitorCommand.examples ?? []).map(([command, what]) => `${command} ${what}`).join('\n');
    expect(examples).toContain(`flyctl proxy 9400:${METRICS_PORT} -a quant-signals`);
    const r = await monitor(['--agent', 'http://127.0.0.1:9400', '--once']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`flyctl proxy 9400:${METRICS_PORT} -a quant-signals`);
  });
});
