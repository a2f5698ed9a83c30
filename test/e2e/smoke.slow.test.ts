/**
 * `gpuctl smoke` with the real engine (podman, runc, the stand-in bases): the CPU layout `gpuctl init`
 * writes with a tiny application passes every check; a broken Dockerfile, an application that exits and
 * one that never answers each fail (exit 1) naming the step, and leave no container (nor image) behind.
 * One real build: the failing layouts are copies whose changes leave the layer cache valid (fly.toml is
 * not in the build context), so their builds take seconds.
 * [slow]: the first build takes 20-90 s on 2 cores.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { ROOT, runGpuctl, tempHome } from '../helpers/cli.js';
import { fromImages, podman, standins } from '../helpers/engine.js';
import { writeLayout, type Layout } from './image-helpers.js';

interface Report {
  passed: boolean;
  exitCode: number;
  failedStep: string | null;
  image: { tag: string; kept: boolean; sizeBytes: number | null; buildSeconds: number | null };
  gpu: { note: string };
  checks: Array<{ name: string; status: string; evidence: string }>;
}

let engine: Record<string, string> = {};
let layout: Layout;
const kept: string[] = [];

beforeAll(async () => {
  layout = await writeLayout(['-a', 'smoke-e2e']);
  engine = await standins(fromImages(readFileSync(join(layout.dir, 'Dockerfile'), 'utf8')));
}, 30 * 60_000);

afterAll(async () => {
  if (kept.length > 0) await podman(engine, ['rmi', '-f', ...kept]);
}, 120_000);

async function smoke(dir: string, ...args: string[]): Promise<{ report: Report; stderr: string }> {
  const run = await runGpuctl(['smoke', '--dir', dir, '--engine', 'podman', '--json', ...args], { env: engine, timeoutMs: 20 * 60_000 });
  const report = JSON.parse(run.stdout) as Report;
  expect(run.exitCode, run.stderr).toBe(report.exitCode);
  return { report, stderr: run.stderr };
}

/** Nothing of this run is left: no container with its label, no image with its tag. */
async function nothingLeft(tag: string) {
  const id = tag.split(':').at(-1)!;
  const containers = await podman(engine, ['ps', '-a', '--filter', `label=gpuctl-smoke=${id}`, '--format', '{{.Names}}']);
  expect(String(containers.stdout).trim()).toBe('');
  expect((await podman(engine, ['image', 'exists', tag])).exitCode).toBe(1);
}

/** A copy of the layout, changed by `edit` (fly.toml or Dockerfile text). */
function variant(file: 'fly.toml' | 'Dockerfile', edit: (text: string) => string): string {
  const dir = `${layout.dir}-${file}-${Math.random().toString(36).slice(2, 8)}`;
  cpSync(layout.dir, dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

describe('gpuctl smoke on the CPU layout', () => {
  it(
    'passes every check, with a load run, and keeps the image with --keep (and only the image)',
    async () => {
      const { report } = await smoke(layout.dir, '--keep', '--loadtest', '2s,10', '--min-rps', '1');
      kept.push(report.image.tag);
      expect(
        report.checks.filter((c) => c.status !== 'pass'),
        JSON.stringify(report.checks),
      ).toEqual([]);
      expect(report.checks.map((c) => c.name)).toEqual([
        'image builds',
        'application /health',
        'agent /health',
        'agent /gpu-health',
        'agent /metrics',
        'runs as non-root user',
        'no build tools in the final stage',
        'loadtest',
        'stops on SIGINT within kill_timeout',
      ]);
      expect(report).toMatchObject({ passed: true, exitCode: 0, failedStep: null, gpu: { note: 'CPU layout: no GPU reserved' } });
      expect(report.checks.find((c) => c.name === 'runs as non-root user')?.evidence).toMatch(/^app \(uid 10001\)/);
      expect(report.checks.find((c) => c.name === 'stops on SIGINT within kill_timeout')?.evidence).toMatch(/^exited 130 after/);
      expect(report.image.sizeBytes).toBeGreaterThan(0);
      expect((await podman(engine, ['image', 'exists', report.image.tag])).exitCode).toBe(0);
      const id = report.image.tag.split(':').at(-1)!;
      expect(String((await podman(engine, ['ps', '-a', '--filter', `label=gpuctl-smoke=${id}`, '-q'])).stdout).trim()).toBe('');
    },
    20 * 60_000,
  );

  it(
    'a broken Dockerfile: exit 1 at "image builds", the build log named, nothing left',
    async () => {
      const dir = variant('Dockerfile', (text) => text.replace('COPY requirements.txt ./', 'COPY no-such-file.txt ./'));
      const { report } = await smoke(dir);
      expect(report).toMatchObject({ passed: false, exitCode: 1, failedStep: 'image builds' });
      expect(report.checks[0]!.evidence).toMatch(/podman build: exit \d+: .*no-such-file\.txt.*\(full log: .*smoke-smoke-e2e-.*\.log\)/);
      await nothingLeft(report.image.tag);
    },
    10 * 60_000,
  );

  it(
    'an application that exits at start: exit 1 at "application /health", its exit code named, nothing left',
    async () => {
      const dir = variant('fly.toml', (text) => text.replace('[env]\n', "[env]\n  APP_EXIT_CODE = '7'\n"));
      const { report } = await smoke(dir, '--wait-timeout', '60s');
      expect(report).toMatchObject({ passed: false, exitCode: 1, failedStep: 'application /health' });
      expect(report.checks.at(-1)!.evidence).toMatch(/^the container exited \(7\) before/);
      await nothingLeft(report.image.tag);
    },
    10 * 60_000,
  );

  it(
    'an application that never answers: exit 1 at "application /health" after --wait-timeout, nothing left',
    async () => {
      // fly.toml routes to a port the application does not listen on (it listens on GPUCTL_PORT).
      const dir = variant('fly.toml', (text) => text.replace(/internal_port = \d+/, 'internal_port = 8999'));
      const { report } = await smoke(dir, '--wait-timeout', '8s');
      expect(report).toMatchObject({ passed: false, exitCode: 1, failedStep: 'application /health' });
      expect(report.checks.at(-1)!.evidence).toMatch(/\/health did not answer 200 within 8 s \(nothing answered\)/);
      await nothingLeft(report.image.tag);
    },
    10 * 60_000,
  );

  it(
    'Ctrl-C while waiting for /health: exit 130, the container and the image removed',
    async () => {
      const dir = variant('fly.toml', (text) =>
        text.replace(/^app = .*$/m, "app = 'smoke-e2e-int'").replace(/internal_port = \d+/, 'internal_port = 8999'),
      );
      const child = execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), 'smoke', '--dir', dir, '--engine', 'podman', '--json'], {
        reject: false,
        env: { ...engine, HOME: tempHome(), NO_COLOR: '1' },
        extendEnv: false,
        timeout: 10 * 60_000,
      });
      const running = async () =>
        String((await podman(engine, ['ps', '--filter', 'label=gpuctl-smoke', '--format', '{{.Image}}'])).stdout).includes(
          'gpuctl-smoke-smoke-e2e-int',
        );
      await expect.poll(running, { timeout: 5 * 60_000, interval: 1000 }).toBe(true);
      child.kill('SIGINT');
      const run = await child;
      const report = JSON.parse(String(run.stdout)) as Report & { interrupted: boolean };
      expect(run.exitCode, String(run.stderr)).toBe(130);
      expect(report).toMatchObject({ interrupted: true, passed: false, exitCode: 130 });
      expect(report.checks.map((c) => c.name)).not.toContain('clean-up');
      await nothingLeft(report.image.tag);
    },
    10 * 60_000,
  );
});
