declare const __GPUCTL_VERSION__: string;

/** Injected at build time from package.json (esbuild `define`; vitest `define` in tests). */
export const VERSION: string = __GPUCTL_VERSION__;
