import { describe, expect, it } from 'vitest';
import { readFlyToml } from '../../../src/deploy/config.js';
import { cpuVmBlock as cpuLayoutFor } from '../../../src/flyio/cpu-layout.js';
import { validateConfigCheck } from '../../../src/validate/index.js';

const facts = (text: string) => {
  const read = readFlyToml('fly.toml', text);
  if (!read.ok) throw new Error(read.finding.message);
  return read.facts;
};

describe('readFlyToml', () => {
  it('reads app and primary region; a CPU guest is not a GPU guest', () => {
    expect(facts('app = "q"\nprimary_region = "ord"\n[[vm]]\n  size = "performance-8x"\n')).toMatchObject({
      app: 'q',
      primaryRegion: 'ord',
      gpuGuests: [],
    });
  });

  const gpuCases: Array<[string, string, string, number]> = [
    ['[[vm]] gpu_kind', 'app = "q"\n\n[[vm]]\n  size = "performance-8x"\n  gpu_kind = "a100-pcie-40gb"\n', 'a100-pcie-40gb', 5],
    ['[vm] table with a GPU size preset', 'app = "q"\n[vm]\n  size = "a100-80gb"\n', 'a100-sxm4-80gb', 3],
    ['dotted vm.gpu_kind', 'app = "q"\nvm.gpu_kind = "l40s"\n', 'l40s', 2],
    ['gpus without a kind', 'app = "q"\n[[vm]]\n  gpus = 2\n', 'unspecified', 3],
    ['legacy [[compute]]', 'app = "q"\n[[compute]]\n  gpu_kind = "a10"\n', 'a10', 3],
  ];
  it.each(gpuCases)('finds a GPU guest: %s', (_name, text, kind, line) => {
    expect(facts(text).gpuGuests).toEqual([expect.objectContaining({ kind, line })]);
  });

  it('gpu_kind = "none" is no GPU', () => {
    expect(facts('[[vm]]\n  gpu_kind = "none"\n').gpuGuests).toEqual([]);
  });

  it('a TOML error is a finding with its line', () => {
    const read = readFlyToml('fly.toml', 'app = "q"\n[[vm]\n');
    expect(read.ok).toBe(false);
    expect(!read.ok && read.finding).toMatchObject({ id: 'toml-syntax', severity: 'error', line: 2 });
    expect(validateConfigCheck({ path: 'fly.toml', text: 'app = \n' }).map((f) => f.id)).toEqual(['toml-syntax']);
    expect(validateConfigCheck({ path: 'fly.toml', text: 'app = "q"\n' })).toEqual([]);
    // validate's rules run; the GPU retirement is left to preflight, which stops with the CPU layout.
    const gpu = validateConfigCheck({ path: 'fly.toml', text: 'app = "q"\n[env]\n  FLY_X = "1"\n[[vm]]\n  gpu_kind = "a100-80gb"\n' });
    expect(gpu.map((f) => f.id).sort()).toEqual(['env-fly-prefix', 'gpu-kind-size-alias', 'gpu-without-volume']);
  });

  it('suggests the CPU layout with the same memory and processes', () => {
    const [guest] = facts('[[vm]]\n  size = "l40s"\n  memory = "64gb"\n  processes = ["app", "worker"]\n').gpuGuests;
    expect(cpuLayoutFor(guest!)).toBe('[[vm]]\n  size = "performance-8x"\n  memory = "64gb"\n  processes = ["app", "worker"]');
  });

  it("a GPU size preset without memory becomes performance-8x with the preset's 32 GB (the CPU preset alone has 16 GB)", () => {
    const [preset] = facts('[[vm]]\n  size = "a100-40gb"\n').gpuGuests;
    expect(cpuLayoutFor(preset!)).toBe('[[vm]]\n  size = "performance-8x"\n  memory = "32gb"');
    // gpu_kind alone: flyctl started from performance-8x (16 GB), so the CPU layout keeps that memory.
    const [kindOnly] = facts('[[vm]]\n  gpu_kind = "l40s"\n').gpuGuests;
    expect(cpuLayoutFor(kindOnly!)).toBe('[[vm]]\n  size = "performance-8x"');
  });
});
