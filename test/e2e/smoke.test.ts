/** `gpuctl smoke` before any engine runs: no engine on PATH is exit 3 naming both; a directory without a layout is exit 2. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGpuctl } from '../helpers/cli.js';

function layout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-smoke-'));
  writeFileSync(join(dir, 'fly.toml'), "app = 'demo'\n[http_service]\n  internal_port = 8080\n[metrics]\n  port = 9400\n");
  writeFileSync(join(dir, 'Dockerfile'), 'FROM ubuntu:24.04\n');
  return dir;
}

describe('gpuctl smoke without an engine', () => {
  it('exit 3 naming docker and podman (PATH holds neither)', async () => {
    const run = await runGpuctl(['smoke', '--dir', layout()]);
    expect(run.exitCode, run.stderr).toBe(3);
    expect(run.stderr).toContain('No container engine: docker and podman are not on PATH.');
    expect(run.stderr).toContain('Install Docker');
  });

  it('--engine podman names podman alone; --json carries the error', async () => {
    const run = await runGpuctl(['smoke', '--dir', layout(), '--engine', 'podman', '--json']);
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: { code: 'tool_missing', message: 'No container engine: podman is not on PATH.' },
    });
  });

  it('a directory without fly.toml is bad input (exit 2), and bad flags are refused before anything runs', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gpuctl-smoke-'));
    const run = await runGpuctl(['smoke', '--dir', empty]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${join(empty, 'fly.toml')} not found.`);
    const bad = await runGpuctl(['smoke', '--dir', layout(), '--max-p95', '10ms']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--max-p95 and --min-rps gate a load run: give --loadtest too.');
  });
});
