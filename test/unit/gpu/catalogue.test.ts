import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/gpu/catalogue.js';
import { architectureFor, familyFor } from '../../../src/gpu/compute-capability.js';
import { deriveProfile, matchProfile, normaliseName } from '../../../src/gpu/match.js';
import { FLY_GPU_KINDS } from '../../../src/flyio/gpu-kinds.js';

describe('the catalogue', () => {
  it('covers every GPU the product promises, by the name nvidia-smi prints', () => {
    const names: Array<[string, string]> = [
      ['Tesla T4', 't4'],
      ['NVIDIA A10', 'a10'],
      ['NVIDIA A10G', 'a10g'],
      ['NVIDIA L4', 'l4'],
      ['NVIDIA L40S', 'l40s'],
      ['NVIDIA A100-PCIE-40GB', 'a100-pcie-40gb'],
      ['NVIDIA A100 80GB PCIe', 'a100-pcie-80gb'],
      ['NVIDIA A100-SXM4-40GB', 'a100-sxm4-40gb'],
      ['NVIDIA A100-SXM4-80GB', 'a100-sxm4-80gb'],
      ['NVIDIA H100 PCIe', 'h100-pcie'],
      ['NVIDIA H100 80GB HBM3', 'h100-sxm'],
      ['NVIDIA H100 NVL', 'h100-nvl'],
      ['NVIDIA H200', 'h200'],
      ['Tesla V100-PCIE-16GB', 'v100-pcie-16gb'],
      ['Tesla V100-PCIE-32GB', 'v100-pcie-32gb'],
      ['Tesla V100-SXM2-16GB', 'v100-sxm2-16gb'],
      ['Tesla V100-SXM2-32GB', 'v100-sxm2-32gb'],
      ['NVIDIA GeForce RTX 3090', 'rtx-3090'],
      ['NVIDIA GeForce RTX 4090', 'rtx-4090'],
      ['NVIDIA RTX A6000', 'rtx-a6000'],
      ['NVIDIA RTX 6000 Ada Generation', 'rtx-6000-ada'],
    ];
    for (const [name, id] of names) expect(matchProfile(name)?.id, name).toBe(id);
  });

  it('matches case-insensitively, with or without the vendor prefix', () => {
    expect(matchProfile('nvidia h100 80gb hbm3')?.id).toBe('h100-sxm');
    expect(matchProfile('A100-SXM4-80GB')?.id).toBe('a100-sxm4-80gb');
    expect(matchProfile('GeForce RTX 3090')?.id).toBe('rtx-3090');
    expect(matchProfile('NVIDIA GeForce RTX 4080 SUPER')).toBeUndefined();
    expect(normaliseName('Tesla  V100_SXM2-16GB')).toBe('v100 sxm2 16gb');
    expect(normaliseName('A100 - SXM4__80GB')).toBe('a100 sxm4 80gb');
    expect(matchProfile('NVIDIA  A100 - SXM4 - 80GB')?.id).toBe('a100-sxm4-80gb');
  });

  it('has unique ids and names, and consistent figures', () => {
    expect(new Set(CATALOGUE.map((p) => p.id)).size).toBe(CATALOGUE.length);
    const names = CATALOGUE.flatMap((p) => p.names.map(normaliseName));
    expect(new Set(names).size).toBe(names.length);
    for (const p of CATALOGUE) {
      const cc = Number(p.computeCapability);
      expect(p.peakMemoryBandwidthGBs, p.id).toBeGreaterThan(100);
      expect(p.peakTflops.fp16, p.id).toBeGreaterThan(p.peakTflops.fp32 ?? Infinity);
      expect(p.peakTflops.bf16 === null, `${p.id} bf16 iff Ampere+`).toBe(cc < 8);
      expect(p.peakTflops.tf32 === null, `${p.id} tf32 iff Ampere+`).toBe(cc < 8);
      expect(p.peakTflops.fp8 === null, `${p.id} fp8 iff Ada/Hopper`).toBe(cc < 8.9);
      expect(p.bestPrecision).toBe(cc >= 8 ? 'bf16' : 'fp16');
      expect(p.architecture).toBe(architectureFor(p.computeCapability));
      if (p.flyGpuKind) expect(FLY_GPU_KINDS[p.flyGpuKind].kind).toBe(p.flyGpuKind);
    }
  });

  it('maps exactly the four Fly GPU kinds, all retired on 2026-08-01', () => {
    const mapped = CATALOGUE.flatMap((p) => (p.flyGpuKind ? [`${p.id}:${p.flyGpuKind}`] : []));
    expect(new Set(mapped)).toEqual(new Set(['a10:a10', 'a100-pcie-40gb:a100-pcie-40gb', 'a100-sxm4-80gb:a100-sxm4-80gb', 'l40s:l40s']));
    for (const kind of Object.values(FLY_GPU_KINDS)) expect(kind).toMatchObject({ status: 'retired', retiredOn: '2026-08-01' });
  });
});

describe('deriveProfile', () => {
  it('works out what follows from the compute capability, and says it is derived', () => {
    expect(deriveProfile('NVIDIA GeForce RTX 2080 SUPER', '7.5', 8192)).toMatchObject({
      architecture: 'Turing',
      bestPrecision: 'fp16',
      tensorCores: true,
      derived: true,
      memoryGB: 8,
      peakMemoryBandwidthGBs: null,
    });
    expect(deriveProfile('NVIDIA RTX 4000 SFF Ada Generation', '8.9', 20475)).toMatchObject({
      architecture: 'Ada Lovelace',
      bestPrecision: 'bf16',
    });
    expect(deriveProfile('Mystery', null, null)).toMatchObject({ architecture: 'unknown', bestPrecision: 'fp32', tensorCores: false });
    expect(architectureFor('10.0')).toBe('Blackwell');
  });

  it('names the architecture by compute capability, Pascal and older as unknown', () => {
    expect(architectureFor('12.0')).toBe('Blackwell'); // GeForce RTX 5090, RTX PRO 6000 Blackwell
    expect(architectureFor('7.0')).toBe('Volta');
    expect(architectureFor('8.6')).toBe('Ampere');
    expect(architectureFor('6.1')).toBe('unknown'); // GeForce GTX 1080
    expect(architectureFor('N/A')).toBe('unknown');
  });

  // NVIDIA's compute capability table (developer.nvidia.com/cuda-gpus) and CUDA 13's family-specific targets.
  it.each([
    ['10.0', 'sm_100f family: B200, GB200, B300, GB300'],
    ['10.3', 'sm_100f family: B200, GB200, B300, GB300'],
    ['10.1', 'sm_101f family: Jetson Thor as CUDA 12 numbers it (11.0 since CUDA 13)'],
    ['11.0', 'sm_110f family: Jetson Thor'],
    ['12.0', 'sm_120f family: RTX PRO Blackwell, GeForce RTX 50, GB10 (DGX Spark)'],
    ['12.1', 'sm_120f family: RTX PRO Blackwell, GeForce RTX 50, GB10 (DGX Spark)'],
  ])('compute capability %s is Blackwell, %s', (cc, family) => {
    expect(architectureFor(cc)).toBe('Blackwell');
    expect(familyFor(cc)).toBe(family);
  });

  it('judges only the capabilities NVIDIA lists: a new minor or major is unknown, not guessed from its major', () => {
    for (const cc of ['10.2', '11.1', '12.2', '13.0', '8.8', '9.1', '6.1', '', '120']) expect(architectureFor(cc), cc).toBe('unknown');
    expect(familyFor('13.0')).toBeNull();
    expect(familyFor('9.0')).toBeNull(); // Hopper has no family-specific target
    expect(architectureFor('7.2')).toBe('Volta'); // Jetson AGX Xavier
    expect(architectureFor('8.7')).toBe('Ampere'); // Jetson Orin
    expect(deriveProfile('NVIDIA Jetson T5000', '11.0', 125772)).toMatchObject({ architecture: 'Blackwell', bestPrecision: 'bf16' });
    expect(deriveProfile('NVIDIA Future', '13.0', 1024)).toMatchObject({ architecture: 'unknown', derived: true });
  });

  it('gives Volta tensor cores and fp16, and any Ampere bf16, at the first minor of the family', () => {
    expect(deriveProfile('NVIDIA TITAN V', '7.0', 12066)).toMatchObject({
      architecture: 'Volta',
      tensorCores: true,
      bestPrecision: 'fp16',
      memoryGB: 11.8,
    });
    expect(deriveProfile('NVIDIA A800-SXM4-80GB', '8.0', 81920)).toMatchObject({
      architecture: 'Ampere',
      bestPrecision: 'bf16',
      memoryGB: 80,
    });
  });

  it('is keyed by the normalised name, never offered as a Fly kind, and says when the capability is not known', () => {
    expect(deriveProfile('NVIDIA GeForce RTX 2080 SUPER', '7.5', 8192)).toMatchObject({
      id: 'derived:geforce-rtx-2080-super',
      flyGpuKind: null,
      computeCapability: '7.5',
    });
    expect(deriveProfile('Mystery', null, null)).toMatchObject({
      computeCapability: 'unknown',
      source: 'derived from compute capability unknown (not in the catalogue)',
    });
  });
});
