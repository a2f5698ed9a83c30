/**
 * Base images the Dockerfiles use. The CUDA userland is chosen from the driver the target runs
 * (src/gpu/cuda-driver.ts maps driver → newest CUDA it supports); this table lists the last
 * nvidia/cuda image tag published for each CUDA minor version (hub.docker.com/r/nvidia/cuda tags;
 * 12.6.3 → 12.8.0, 12.9.0 → 12.9.1 and 13.0.2 → 13.1.1 as NVIDIA's own dependabot bumps show them).
 * CUDA 12.7 was never released (driver 565 reports it): such a driver gets the newest older image.
 */
import { compareCuda } from '../gpu/cuda-driver.js';

export const UBUNTU_VERSION = '22.04';
/** The official Node image (node:<major>-bookworm-slim) whose node binary runs gpuctl agent in the image. */
export const NODE_MAJOR = '22';

const LAST_PATCH: ReadonlyArray<readonly [minor: string, tag: string]> = [
  ['11.8', '11.8.0'],
  ['12.0', '12.0.1'],
  ['12.1', '12.1.1'],
  ['12.2', '12.2.2'],
  ['12.3', '12.3.2'],
  ['12.4', '12.4.1'],
  ['12.5', '12.5.1'],
  ['12.6', '12.6.3'],
  ['12.8', '12.8.1'],
  ['12.9', '12.9.1'],
  ['13.0', '13.0.2'],
  ['13.1', '13.1.1'],
];

/** The image tag for exactly this CUDA minor version; throws when none was published. */
export function cudaImageVersion(minor: string): string {
  const tag = LAST_PATCH.find(([m]) => m === minor)?.[1];
  if (!tag) throw new Error(`No nvidia/cuda image tag known for CUDA ${minor}; add it to src/init/images.ts.`);
  return tag;
}

/**
 * The newest image whose CUDA the driver runs: the driver's own CUDA version when an image exists
 * for it, else the newest older one (a newer userland than the driver needs is what fails).
 * null when the driver is older than every image in the table.
 */
export function cudaImageFor(maxCuda: string): { minor: string; tag: string } | null {
  const fits = LAST_PATCH.filter(([minor]) => compareCuda(minor, maxCuda) <= 0);
  const last = fits.at(-1);
  return last ? { minor: last[0], tag: last[1] } : null;
}
