import type { HostFacts } from './context.js';

declare const __GPUCTL_VERSION__: string;

/** Injected at build time from package.json (esbuild `define`; vitest `define` in tests). */
export const VERSION: string = __GPUCTL_VERSION__;

/**
 * `gpuctl --version --json`: the version as a document, with the runtime it runs on (flyctl's `version --json` names
 * its OS and architecture, kubectl's `version -o json` its platform and Go version; gpuctl's runtime is Node).
 */
export interface VersionInfo {
  schemaVersion: 1;
  name: 'gpuctl';
  version: string;
  node: string;
  platform: string;
  arch: string;
}

export function versionInfo(host: Pick<HostFacts, 'nodeVersion' | 'platform' | 'arch'>): VersionInfo {
  return { schemaVersion: 1, name: 'gpuctl', version: VERSION, node: host.nodeVersion, platform: host.platform, arch: host.arch };
}
