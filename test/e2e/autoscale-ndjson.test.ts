/**
 * `gpuctl autoscale run --json` is an NDJSON stream to the end: Ctrl-C while a step waits on Prometheus
 * ends it with one more JSON line (the error), never an indented document after the decision lines.
 * Prometheus is a stub on loopback: it answers the first step (no series, a "no data" decision) and
 * then holds every query, so the interrupt lands inside a step.
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { seedFlyState } from '../fakes/flyctl/seed.mjs';
import { fakePath, ROOT, tempHome } from '../helpers/cli.js';

const held: ServerResponse[] = [];
/** Set once gpuctl printed its first decision: from then on every query is held. */
let hold = false;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (hold) return void held.push(res);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
  });
});
afterAll(() => {
  for (const res of held) res.destroy();
  server.close();
});

it('Ctrl-C during a step: the error is one JSON line after the decision lines (exit 130)', async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const fly = seedFlyState({ apps: [{ name: 'quiet', machines: [{ region: 'ord', size: 'performance-2x' }] }] });
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-autoscale-ndjson-'));
  writeFileSync(
    join(dir, 'autoscale.toml'),
    'app = "quiet"\nmin = 1\nmax = 2\ninterval = "1s"\n[scale_up]\nabove = 80\nfor = "3s"\n[scale_down]\nbelow = 30\nfor = "5s"\n',
  );
  const child = execa(
    process.execPath,
    [join(ROOT, 'bin/gpuctl.js'), 'autoscale', 'run', '-p', 'autoscale.toml', '--prometheus', url, '--json'],
    {
      reject: false,
      extendEnv: false,
      cwd: dir,
      env: {
        PATH: fakePath(['flyctl']),
        HOME: tempHome(),
        NO_COLOR: '1',
        ...fly.env,
        FLY_API_TOKEN: 'test-token-abcdef',
        XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'gpuctl-state-')),
      },
    },
  );
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    hold = out.includes('\n');
  });
  await expect.poll(() => held.length, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(1);
  child.kill('SIGINT');
  const result = await child;
  expect(result.exitCode).toBe(130);
  const lines = String(result.stdout).trim().split('\n');
  expect(lines.length).toBeGreaterThanOrEqual(2);
  const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(records[0]).toHaveProperty('rule');
  expect(Object.keys(records.at(-1) ?? {})).toEqual(['error']);
  expect(records.at(-1)).toMatchObject({ error: { code: 'interrupted', exitCode: 130 } });
}, 60_000);
