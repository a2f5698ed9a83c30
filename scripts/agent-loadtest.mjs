/* global fetch */
// Load test of `gpuctl agent` on loopback (issue 8): the built CLI against the fake nvidia-smi replaying
// 8 H100s (test/fixtures/nvidia-smi/public/gls__H100SXMx8), sampling every second; autocannon drives
// /metrics and /gpu-health at 500 requests/s each until 100,000 requests in all (bounded in count and time),
// and the agent's RSS is read from /proc before and after. Targets: p99 < 5 ms, RSS growth < 10 MB.
// Usage: npm run bench:agent [-- --requests 100000 --rate 500 --connections 10]. Build first (the npm script does).
import autocannon from 'autocannon';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('../', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '500' },
    connections: { type: 'string', default: '10' },
  },
});
const total = Number(values.requests);
const rate = Number(values.rate);
const connections = Number(values.connections);
const paths = ['/metrics', '/gpu-health'];
const perPath = Math.ceil(total / paths.length);
const limitS = Math.ceil((perPath / rate) * 1.5) + 30;

const agent = execa(process.execPath, [join(root, 'bin/gpuctl.js'), 'agent', '--listen', '127.0.0.1:0', '--interval', '1s', '--json'], {
  env: {
    PATH: `${join(root, 'test/bin')}${delimiter}${process.env.PATH}`,
    FAKE_NVIDIA_SMI_FIXTURE: 'public/gls__H100SXMx8.nvidia-smi-q.txt',
    NO_COLOR: '1',
  },
  reject: false,
  timeout: (limitS + 60) * 1000,
});
const ready = await new Promise((resolve, reject) => {
  let out = '';
  agent.stdout.on('data', (chunk) => {
    out += chunk;
    const line = out.split('\n').find((l) => l.includes('"listening"'));
    if (line) resolve(JSON.parse(line));
  });
  agent.then((r) => reject(new Error(`the agent exited before listening: ${r.stderr}`)));
});
const rssMiB = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${ready.pid}/status`, 'utf8'))[1]) / 1024;
const run = (path, amount, r) =>
  new Promise((resolve, reject) => {
    const instance = autocannon({ url: `${ready.url}${path}`, connections, overallRate: r, amount, timeout: 10 }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
    setTimeout(() => instance.stop(), limitS * 1000).unref(); // a hard bound in time as well as in count
  });

try {
  // Wait for 8 GPUs, then warm up (JIT, sockets) before the first memory reading.
  for (let i = 0; i < 100; i++) {
    const health = await fetch(`${ready.url}/gpu-health`).then((r) => r.json());
    if (health.gpus === 8) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all(paths.map((p) => run(p, 2000, 1000)));
  const before = rssMiB();
  const started = Date.now();
  const results = await Promise.all(paths.map((p) => run(p, perPath, rate)));
  const seconds = (Date.now() - started) / 1000;
  const after = rssMiB();
  const metricsBody = await fetch(`${ready.url}/metrics`).then((r) => r.text());
  const series = metricsBody.split('\n').filter((l) => l.startsWith('DCGM_FI_DEV_')).length;
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    command: `npm run bench:agent -- --requests ${total} --rate ${rate} --connections ${connections}`,
    dcgmSeries: series,
    seconds: Number(seconds.toFixed(1)),
    endpoints: Object.fromEntries(
      results.map((r, i) => [
        paths[i],
        {
          requests: r.requests.total,
          reqPerSec: Number(r.requests.average.toFixed(1)),
          p50ms: r.latency.p50,
          p99ms: r.latency.p99,
          maxMs: r.latency.max,
          errors: r.errors,
          timeouts: r.timeouts,
          non2xx: r.non2xx,
        },
      ]),
    ),
    rssMiB: { before: Number(before.toFixed(1)), after: Number(after.toFixed(1)), growth: Number((after - before).toFixed(1)) },
  };
  console.log(JSON.stringify(report, null, 2));
  const p99 = Math.max(...results.map((r) => r.latency.p99));
  const ok = p99 < 5 && after - before < 10 && results.every((r) => r.errors === 0 && r.non2xx === 0);
  console.log(
    `${ok ? 'MEETS' : 'MISSES'} the targets: p99 ${p99} ms (< 5), RSS growth ${(after - before).toFixed(1)} MiB (< 10), ${results.reduce((n, r) => n + r.requests.total, 0)} requests`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  agent.kill('SIGTERM');
  await agent;
}
