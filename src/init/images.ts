/**
 * Base images the Dockerfiles use. The CUDA userland is chosen from the driver the target runs
 * (src/gpu/cuda-driver.ts maps driver → newest CUDA); this table maps that CUDA minor version to
 * the last nvidia/cuda image tag published for it (hub.docker.com/r/nvidia/cuda tags).
 */
export const UBUNTU_VERSION = '22.04';
/** The official Node image (node:<major>-bookworm-slim) whose node binary runs gpuctl agent in the image. */
export const NODE_MAJOR = '22';

const LAST_PATCH: Readonly<Record<string, string>> = {
  '12.2': '12.2.2',
  '12.3': '12.3.2',
  '12.4': '12.4.1',
};

export function cudaImageVersion(minor: string): string {
  const tag = LAST_PATCH[minor];
  if (!tag) throw new Error(`No nvidia/cuda image tag known for CUDA ${minor}; add it to src/init/images.ts.`);
  return tag;
}
