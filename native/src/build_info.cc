// Compiled at every link (native/Makefile), so that the version (package.json) and the build stamp
// (date and the architectures of this binary) never force a rebuild of anything else.
#ifndef GPUCTL_BUILT
#define GPUCTL_BUILT "unknown"
#endif
#ifndef GPUCTL_VERSION
#define GPUCTL_VERSION "0.0.0-unknown"
#endif
extern const char* const gpuctl_built = GPUCTL_BUILT;
extern const char* const gpuctl_version = GPUCTL_VERSION;
