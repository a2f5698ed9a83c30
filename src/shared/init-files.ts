/**
 * The build-context files of gpuctl's own that `gpuctl init` writes beside the application's (init/agent-package.ts,
 * init/render.ts): the Dockerfile copies them, so a checkout without them cannot build. smoke says so before its build.
 */
export const INIT_CONTEXT_FILES: readonly string[] = ['.gpuctl/gpuctl.tgz', 'gpuctl-start.sh'];
