/**
 * The build-context files of gpuctl's own that `gpuctl init` writes beside the application's (init/agent-package.ts,
 * init/render.ts): the Dockerfile copies them, so a checkout without them cannot build. smoke says so before its build.
 */
export const AGENT_PACKAGE_PATH = '.gpuctl/gpuctl.tgz';
export const START_SCRIPT = 'gpuctl-start.sh';
export const INIT_CONTEXT_FILES: readonly string[] = [AGENT_PACKAGE_PATH, START_SCRIPT];
