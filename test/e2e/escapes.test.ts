/**
 * Nothing from outside reaches the terminal raw (ui/printable.ts): a GPU name from nvidia-smi, a machine's
 * name and region from flyctl, a /gpu-health body and a Prometheus error holding OSC 52 (a clipboard
 * write: ESC ]52;c;… BEL) or ESC[2J (clear screen) are shown escaped (\x1b, \x07) in detect, status,
 * health, monitor and autoscale plan; --json keeps the value. The bytes read are what gpuctl wrote.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runGpuctl, type CliRun } from '../helpers/cli.js';
import { deployedWorld } from './fly-world.js';

const OSC52 = '\u001b]52;c;aGVsbG8=\u0007';
const CLEAR = '\u001b[2J';
const EVIL = `${OSC52}H100${CLEAR}`;
const SHOWN = '\\x1b]52;c;aGVsbG8=\\x07H100\\x1b[2J';

/** No control character but newline reaches the output; the value is there, escaped. */
function expectEscaped(run: CliRun, shown = SHOWN) {
  const all = run.stdout + run.stderr;
  // eslint-disable-next-line no-control-regex
  expect(all).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  expect(all).toContain(shown);
}

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/health') return void res.writeHead(200).end('ok');
    if (req.url === '/gpu-health') return void res.writeHead(503, { 'content-type': 'text/plain' }).end(`GPU lost ${EVIL}`);
    // A Prometheus that refuses every query, quoting it back with the escapes.
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: `parse error near ${EVIL}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const smiName = () => {
  const script = join(mkdtempSync(join(tmpdir(), 'gpuctl-esc-')), 'script.json');
  writeFileSync(script, JSON.stringify([{ name: EVIL }]));
  return { FAKE_NVIDIA_SMI_FIXTURE: 'h200-x1/query.csv', FAKE_NVIDIA_SMI_SCRIPT: script };
};

describe('escape sequences from outside', () => {
  it('detect: a GPU name from nvidia-smi is shown escaped; --json keeps it', async () => {
    const run = await runGpuctl(['detect'], { tools: ['nvidia-smi'], env: smiName() });
    expect(run.exitCode, run.stderr).toBe(0);
    expectEscaped(run);
    const json = await runGpuctl(['detect', '--json'], { tools: ['nvidia-smi'], env: smiName() });
    expect(json.stdout).toContain('\\u001b]52;c;aGVsbG8=\\u0007H100\\u001b[2J');
  });

  it('monitor --once: the GPU name is shown escaped', async () => {
    const run = await runGpuctl(['monitor', '--once'], { tools: ['nvidia-smi'], env: smiName() });
    expect(run.exitCode, run.stderr).toBe(0);
    expectEscaped(run, '\\x1b]52;c;aGVsbG8=\\x07H1'); // the name column is 24 characters
  });

  it("status: a machine's name and region from flyctl are shown escaped; --json keeps them", async () => {
    const w = await deployedWorld();
    const file = join(w.state, 'state.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const walk = (v: unknown) => {
      if (!v || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      if ('image_ref' in o && 'region' in o) Object.assign(o, { name: EVIL, region: `ord${CLEAR}` });
      for (const x of Object.values(o)) walk(x);
    };
    walk(data);
    writeFileSync(file, JSON.stringify(data));
    const run = await w.gpuctl(['status']);
    expect(run.exitCode, run.stderr).toBe(0);
    expectEscaped(run, 'ord\\x1b[2J');
    const json = JSON.parse((await w.gpuctl(['status', '--json'])).stdout) as { machines: Array<{ name: string; region: string }> };
    expect(json.machines[0]).toMatchObject({ name: EVIL, region: `ord${CLEAR}` });
  });

  it('health: a /gpu-health body is shown escaped', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['health', '--url', base]);
    expect(run.exitCode).toBe(1);
    expectEscaped(run);
  });

  it("autoscale plan: Prometheus's error text is shown escaped", async () => {
    const w = await deployedWorld();
    copyFileSync(join(ROOT, 'examples/autoscale.toml'), join(w.dir, 'autoscale.toml'));
    const run = await w.gpuctl(['autoscale', 'plan', '-p', 'autoscale.toml', '--prometheus', `${base}/`], {
      XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'gpuctl-state-')),
    });
    expect(run.exitCode).not.toBe(-1);
    expectEscaped(run);
  });
});
