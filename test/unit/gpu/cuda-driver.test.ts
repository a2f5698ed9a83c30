import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareCuda, cudaVersionForDriver, encodeCudaVersion } from '../../../src/gpu/cuda-driver.js';
import { FIXTURES } from '../../helpers/cli.js';

function tableHeaders(): Array<[driver: string, cuda: string, file: string]> {
  const dir = join(FIXTURES, 'nvidia-smi');
  const files = [
    'h200-x1/nvidia-smi.txt',
    ...readdirSync(join(dir, 'public'))
      .filter((f) => f.endsWith('table.txt'))
      .map((f) => `public/${f}`),
    ...readdirSync(join(dir, 'public/split')).map((d) => `public/split/${d}/idle.table.txt`),
  ];
  return files.map((file) => {
    const m = /Driver Version: (\S+)\s+CUDA Version: (\S+)/.exec(readFileSync(join(dir, file), 'utf8'));
    if (!m?.[1] || !m[2]) throw new Error(`no header in ${file}`);
    return [m[1], m[2], file];
  });
}

describe('cudaVersionForDriver', () => {
  it.each(tableHeaders())('driver %s → CUDA %s, as nvidia-smi itself prints (%s)', (driver, cuda) => {
    expect(cudaVersionForDriver(driver)).toEqual({ cudaVersion: cuda, atLeast: false });
  });

  it('knows older branches and says "at least" for newer ones', () => {
    expect(cudaVersionForDriver('535.54.03').cudaVersion).toBe('12.2');
    expect(cudaVersionForDriver('545.23.08').cudaVersion).toBe('12.3');
    expect(cudaVersionForDriver('515.105.01').cudaVersion).toBe('11.7');
    expect(cudaVersionForDriver('610.10')).toEqual({ cudaVersion: '13.2', atLeast: true });
    expect(cudaVersionForDriver('390.1')).toEqual({ cudaVersion: null, atLeast: false });
    expect(cudaVersionForDriver(null).cudaVersion).toBeNull();
    expect(cudaVersionForDriver('garbage').cudaVersion).toBeNull();
  });

  it('encodes and compares versions like CUDA does', () => {
    expect(encodeCudaVersion('13.0')).toBe(13000);
    expect(encodeCudaVersion('12.4')).toBe(12040);
    expect(compareCuda('12.4', '13.0')).toBeLessThan(0);
    expect(compareCuda('13.1', '13.0')).toBeGreaterThan(0);
  });
});
