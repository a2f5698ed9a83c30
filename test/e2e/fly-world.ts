/**
 * A small world for the Fly e2e tests: a project directory (fly.toml, Dockerfile), a state
 * directory for the fake flyctl, and helpers to run the built gpuctl and the fake against them.
 * Every test gets its own directories, so tests never share fake state.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { flyState } from '../fakes/flyctl/seed.mjs';
import { FAKE_BIN, FIXTURES, runGpuctl, type CliRun } from '../helpers/cli.js';

/** A token shaped like Fly's; none of it may ever appear in gpuctl's output. */
export const TOKEN = 'FlyV1 fm2_lJPECAAAAAAAAE0Sxbe2e2eSECRETxyz0123456789abcdef,fm2_lJPETOPSECRETpart2';
const TOKEN_PARTS = ['fm2_lJPECAAAAAAAAE0Sxbe2e2eSECRETxyz0123456789abcdef', 'fm2_lJPETOPSECRETpart2', 'SECRET'];

/** The fake world's fly.toml (scripts/transcripts/scenarios.mjs reads the same file). */
export const FLY_TOML = readFileSync(join(FIXTURES, 'flyctl/quant-signals.fly.toml'), 'utf8');

/**
 * A GPU layout of the same app (the a10 preset: ord served it). Today's Fly rejects it; the GPU world's fake runs the
 * Machines API as it was before the retirement (FAKE_FLYCTL_GPU_API), the only way a GPU machine exists to verify.
 */
export const GPU_FLY_TOML = FLY_TOML.replace('size = "performance-2x"', 'size = "a10"');
export const BEFORE_GPU_RETIREMENT = { FAKE_FLYCTL_GPU_API: 'before-retirement' } as const;

export interface World {
  dir: string;
  state: string;
  gpuctl(args: readonly string[], env?: Record<string, string>): Promise<CliRun>;
  flyctl(args: readonly string[], env?: Record<string, string>): Promise<CliRun>;
  releases(): Promise<Array<{ Version: number; Status: string }>>;
  seedSsh(app: string, replies: Record<string, { stdout?: string; stderr?: string; exitCode?: number }>): void;
}

export function world(flyToml = FLY_TOML, stateDir?: string, worldEnv: Record<string, string> = {}): World {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-proj-'));
  const state = stateDir ?? mkdtempSync(join(tmpdir(), 'gpuctl-fly-'));
  writeFileSync(join(dir, 'fly.toml'), flyToml);
  writeFileSync(join(dir, 'Dockerfile'), 'FROM python:3.12-slim\nCMD ["python", "-m", "http.server", "8080"]\n');
  const env = (extra: Record<string, string> = {}) => ({ FAKE_FLYCTL_STATE: state, FLY_API_TOKEN: TOKEN, ...worldEnv, ...extra });
  const self: World = {
    dir,
    state,
    gpuctl: (args, extra) => runGpuctl(args, { tools: ['flyctl'], cwd: dir, env: env(extra), timeoutMs: 25_000 }),
    flyctl: async (args, extra) => {
      const r = await execa(process.execPath, [join(FAKE_BIN, 'flyctl'), ...args], {
        reject: false,
        cwd: dir,
        env: env(extra),
        timeout: 15_000,
      });
      return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
    },
    releases: async () =>
      JSON.parse((await self.flyctl(['releases', '--app', 'quant-signals', '--json'])).stdout) as Array<{
        Version: number;
        Status: string;
      }>,
    seedSsh: (app, replies) => {
      for (const [command, reply] of Object.entries(replies)) flyState(state).setSshResponse(app, command, reply);
    },
  };
  return self;
}

/** A world whose app exists and has one healthy release (v1). */
export async function deployedWorld(flyToml = FLY_TOML, worldEnv: Record<string, string> = {}): Promise<World> {
  const w = world(flyToml, undefined, worldEnv);
  const created = await w.flyctl(['apps', 'create', 'quant-signals', '--org', 'personal']);
  if (created.exitCode !== 0) throw new Error(created.stderr);
  const first = await w.flyctl(['deploy', '--app', 'quant-signals', '--yes']);
  if (first.exitCode !== 0) throw new Error(first.stderr);
  return w;
}

/** deployedWorld with GPU_FLY_TOML, its a10 machines launched as before the retirement (not today's Fly). */
export const deployedGpuWorld = (): Promise<World> => deployedWorld(GPU_FLY_TOML, BEFORE_GPU_RETIREMENT);

export function expectNoToken(run: CliRun | string): void {
  const text = typeof run === 'string' ? run : `${run.stdout}\n${run.stderr}`;
  for (const part of TOKEN_PARTS) expect(text).not.toContain(part);
}
