/**
 * The newest CUDA version a driver branch supports. nvidia-smi's query interface has no field for
 * it (its table header does), so gpuctl reads it off the driver version with this table instead of
 * making a second call. Source: NVIDIA CUDA Toolkit Release Notes, table "CUDA Toolkit and
 * Corresponding Driver Versions" (minimum Linux driver per toolkit); checked against every
 * nvidia-smi capture in test/fixtures (550→12.4 … 595→13.2).
 */
const BRANCHES: ReadonlyArray<readonly [minDriverMajor: number, cuda: string]> = [
  [595, '13.2'],
  [590, '13.1'],
  [580, '13.0'],
  [575, '12.9'],
  [570, '12.8'],
  [565, '12.7'],
  [560, '12.6'],
  [555, '12.5'],
  [550, '12.4'],
  [545, '12.3'],
  [535, '12.2'],
  [530, '12.1'],
  [525, '12.0'],
  [520, '11.8'],
  [515, '11.7'],
  [510, '11.6'],
  [495, '11.5'],
  [470, '11.4'],
  [465, '11.3'],
  [460, '11.2'],
  [455, '11.1'],
  [450, '11.0'],
  [440, '10.2'],
  [418, '10.1'],
  [410, '10.0'],
];

export interface CudaForDriver {
  cudaVersion: string | null;
  /** True when the driver is newer than every branch in the table: it supports at least this version. */
  atLeast: boolean;
}

export function cudaVersionForDriver(driverVersion: string | null): CudaForDriver {
  const major = driverVersion ? Number.parseInt(driverVersion, 10) : Number.NaN;
  if (Number.isNaN(major)) return { cudaVersion: null, atLeast: false };
  const index = BRANCHES.findIndex(([min]) => major >= min);
  const branch = BRANCHES[index];
  if (!branch) return { cudaVersion: null, atLeast: false };
  // A driver branch above the newest listed one (e.g. 600) supports at least the newest CUDA we know.
  return { cudaVersion: branch[1], atLeast: index === 0 && major >= branch[0] + 5 };
}

/** "13.0" → 13000 (the CUDA_VERSION / cudaDriverGetVersion encoding). */
export function encodeCudaVersion(version: string): number {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major * 1000 + minor * 10;
}

export function compareCuda(a: string, b: string): number {
  return encodeCudaVersion(a) - encodeCudaVersion(b);
}
