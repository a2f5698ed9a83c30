/**
 * The one text of the CPU layout that replaces a retired GPU guest (item 3 of the deploy-gpu brief): deploy's stops,
 * validate's fly-gpu-retired fix and init's banner and fly.toml comment all give cpuLayoutFix, pinned here once.
 */
import { describe, expect, it } from 'vitest';
import { cpuInitCommand, cpuLayoutFix, cpuVmBlock, layoutGuestOf } from '../../../src/flyio/cpu-layout.js';
import { validateFiles } from '../../../src/validate/index.js';
import { retirementBanner } from '../../../src/init/result.js';
import { resolveInputs } from '../../../src/init/inputs.js';
import { createStyle } from '../../../src/ui/style.js';
import { gpuStopError, gpuRejectedError } from '../../../src/deploy/gpu-stop.js';
import { FlyError } from '../../../src/flyio/failures.js';

const KEEP_OWN =
  "Deploy the CPU layout: in [[vm]], size = 'performance-8x' in place of the GPU settings, and GPUCTL_DEVICE = 'cpu' in [env]. " +
  "`gpuctl init --vm-size performance-8x --force` rewrites the files for it, with performance-8x's own 16 GB.";
const keep = (mb: number) =>
  "Deploy the CPU layout: in [[vm]], size = 'performance-8x' in place of the GPU settings, and GPUCTL_DEVICE = 'cpu' in [env]. " +
  `\`gpuctl init --vm-size performance-8x --memory ${mb} --force\` rewrites the files for it.`;
const RAISE =
  "Deploy the CPU layout: in [[vm]], size = 'performance-8x' in place of the GPU settings and memory = '32gb' (the GPU preset's; " +
  "performance-8x alone has 16 GB), and GPUCTL_DEVICE = 'cpu' in [env]. `gpuctl init --vm-size performance-8x --memory 32768 --force` " +
  'rewrites the files for it.';

describe('the CPU layout for a GPU guest', () => {
  it('keeps written memory and gpu_kind-alone memory; raises a GPU preset without memory to its 32 GB; the init command it names writes the same', () => {
    expect(cpuLayoutFix({ fromPreset: false })).toBe(KEEP_OWN);
    expect(cpuLayoutFix({ fromPreset: true, memory: '64gb' })).toBe(keep(65536));
    expect(cpuLayoutFix({ fromPreset: false, memory: '24576' })).toBe(keep(24576));
    expect(cpuLayoutFix({ fromPreset: true })).toBe(RAISE);
    // Memory performance-8x cannot have (over 64 GB; not a multiple of 256; its own) names the plain command and says so.
    expect(cpuLayoutFix({ fromPreset: false, memory: '128gb' })).toBe(KEEP_OWN);
    expect(cpuLayoutFix({ fromPreset: false, memory: '20000' })).toBe(KEEP_OWN);
    expect(cpuLayoutFix({ fromPreset: false, memory: '16gb' })).toBe(KEEP_OWN);
    expect(cpuVmBlock({ fromPreset: true })).toBe('[[vm]]\n  size = "performance-8x"\n  memory = "32gb"');
    expect(cpuInitCommand('api')).toBe('gpuctl init --dir api --vm-size performance-8x --force');
  });

  it('the [[vm]] block it prints: an integer memory bare, a size string quoted, the processes it was for', () => {
    expect(cpuVmBlock({ fromPreset: false, memory: '24576', processes: ['app', 'worker'] })).toBe(
      '[[vm]]\n  size = "performance-8x"\n  memory = 24576\n  processes = ["app", "worker"]',
    );
    expect(cpuVmBlock({ fromPreset: false, memory: '64gb', processes: [] })).toBe('[[vm]]\n  size = "performance-8x"\n  memory = "64gb"');
  });

  it('reads the guest from a [[vm]]: only a GPU size preset counts as one, and its processes go along', () => {
    expect(layoutGuestOf({ size: 'a10', processes: ['app'] })).toEqual({ fromPreset: true, processes: ['app'] });
    expect(layoutGuestOf({ size: 'performance-8x', processes: [], memory: '32gb' })).toEqual({
      fromPreset: false,
      processes: [],
      memory: '32gb',
    });
  });

  const fix = (vm: string) =>
    validateFiles({ flyToml: { path: 'fly.toml', text: `app = "a"\nprimary_region = "ord"\n\n[[vm]]\n${vm}\n` } }).find(
      (f) => f.id === 'fly-gpu-retired',
    )?.fix;
  const guest = { kind: 'l40s', line: 3, processes: [], memory: undefined, fromPreset: true };

  it('validate, deploy and init give that same text', () => {
    expect(fix("  size = 'a100-40gb'")).toBe(RAISE);
    expect(fix("  size = 'a100-40gb'\n  memory = '64gb'")).toBe(keep(65536));
    expect(fix("  gpu_kind = 'l40s'")).toBe(KEEP_OWN);
    // memory_mb wins over memory, as flyctl resolves the guest.
    expect(fix("  gpu_kind = 'l40s'\n  memory = '64gb'\n  memory_mb = 24576")).toBe(keep(24576));
    expect(gpuStopError('fly.toml', guest).hint).toContain(
      `${RAISE} That [[vm]] in fly.toml becomes:\n\n[[vm]]\n  size = "performance-8x"\n  memory = "32gb"\n`,
    );
    const rejected = gpuRejectedError(
      'fly.toml',
      guest,
      new FlyError('x', 'gpu-rejected', { said: 'GPU machines are no longer supported' }),
    );
    expect(rejected.hint).toContain(`Today only a CPU layout deploys. ${RAISE}`);
    const inputs = resolveInputs([{ target: { kind: 'gpu', gpuKind: 'a10' } }], 'api');
    // init's GPU layout writes the kind's 32 GB, and its banner keeps them.
    expect(retirementBanner({ inputs, cpuCommand: cpuInitCommand(undefined, 32768) }, createStyle(false))).toContain(keep(32768));
  });
});
