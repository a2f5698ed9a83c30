/**
 * fly-gpu-retired's fix gives the CPU layout that really matches the GPU guest (issue 19 item 1): a GPU size preset
 * had 32 GB and performance-8x alone has 16, so the fix keeps the preset's memory, as deploy's preflight does
 * (deploy/config.ts cpuLayoutFor); a guest that wrote its memory, or gave gpu_kind alone, is not told to raise it.
 */
import { describe, expect, it } from 'vitest';
import { CPU_FALLBACK } from '../../../src/flyio/gpu-kinds.js';
import { validateFiles } from '../../../src/validate/index.js';

const fix = (vm: string) =>
  validateFiles({ flyToml: { path: 'fly.toml', text: `app = "a"\nprimary_region = "ord"\n\n[[vm]]\n${vm}\n` } }).find(
    (f) => f.id === 'fly-gpu-retired',
  )?.fix;

describe('fly-gpu-retired fix', () => {
  it("a GPU size preset: performance-8x with the preset's 32 GB", () => {
    expect(CPU_FALLBACK.memory).toBe('32gb');
    expect(fix("  size = 'a100-40gb'")).toContain(
      "size = 'performance-8x' and memory = '32gb' (the GPU preset's; performance-8x alone has 16 GB)",
    );
    expect(fix("  size = 'a100-40gb'")).toContain("rewrites both, with the preset's 16 GB)");
  });

  it('memory written in the guest, or gpu_kind alone: no memory to raise', () => {
    expect(fix("  size = 'a100-40gb'\n  memory = '64gb'")).not.toContain('memory =');
    expect(fix("  gpu_kind = 'l40s'")).toMatch(
      /^Deploy the CPU layout: replace the GPU settings in \[\[vm\]\] with size = 'performance-8x' and set/,
    );
  });
});
