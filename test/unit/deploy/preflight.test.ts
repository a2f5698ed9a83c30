/** deploy's preflight on fly.toml alone (flyctl not found: the fly.toml row decides the stop, it comes first). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeployOptions } from '../../../src/deploy/options.js';
import { preflight } from '../../../src/deploy/preflight.js';
import { FLY_GPU_RETIRED_ON } from '../../../src/flyio/gpu-kinds.js';
import { validateConfigCheck } from '../../../src/validate/index.js';
import { makeTestCtx } from '../../helpers/ctx.js';

const CPU_TOML = 'app = "q"\nprimary_region = "ord"\n[[vm]]\n  size = "performance-8x"\n';

async function run(flyToml: string, options: Partial<DeployOptions>) {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-preflight-'));
  writeFileSync(join(dir, 'fly.toml'), flyToml);
  const ctx = { ...makeTestCtx({ rules: [{ match: () => true, result: { kind: 'not-found', file: 'flyctl' } }] }), cwd: dir };
  const base: DeployOptions = {
    ...{ app: undefined, config: 'fly.toml', create: false, org: undefined, region: undefined, strategy: undefined, image: undefined },
    ...{ buildArgs: [], waitTimeoutMs: 60_000, waitTimeoutGiven: false, deployTimeoutMs: 60_000 },
    ...{ verifyGpu: false, verifyGpuDiag: false, rollback: false, allowGpu: false, dryRun: false },
  };
  return preflight(ctx, { ...base, ...options }, validateConfigCheck);
}

describe('deploy preflight', () => {
  it.each([
    ['--verify-gpu', { verifyGpu: true }],
    ['--verify-gpu-diag', { verifyGpu: true, verifyGpuDiag: true }],
  ])('refuses %s on a fly.toml without a GPU guest: a usage error (exit 2) that says why and what to do', async (flag, options) => {
    const pre = await run(CPU_TOML, options);
    expect(pre.stop).toMatchObject({ code: 'usage', exitCode: 2 });
    expect(pre.stop?.message).toBe(
      `${flag} checks the GPUs of the new machines, and fly.toml asks for none: no [[vm]] has a gpu_kind or a GPU size.`,
    );
    expect(pre.stop?.hint).toContain('A GPU layout needs a [[vm]] with gpu_kind');
    expect(pre.stop?.hint).toContain(`Fly.io retired GPU Machines on ${FLY_GPU_RETIRED_ON}, so deploying one needs --allow-gpu`);
    expect(pre.stop?.hint).toContain(`To deploy this CPU layout, drop ${flag}.`);
    expect(pre.rows.find((r) => r.name === 'fly.toml')).toMatchObject({ status: 'fail', detail: `no GPU guest for ${flag} to check` });
  });

  it('lets --verify-gpu through on a GPU layout with --allow-gpu; the plain CPU deploy stops only for flyctl', async () => {
    const gpu = await run(CPU_TOML.replace('size = "performance-8x"', 'gpu_kind = "a10"'), { verifyGpu: true, allowGpu: true });
    expect(gpu.rows.find((r) => r.name === 'fly.toml')?.status).toBe('warn');
    expect(gpu.stop?.code).toBe('tool_missing');
    expect((await run(CPU_TOML, {})).stop?.code).toBe('tool_missing');
  });
});
