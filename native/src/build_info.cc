// Compiled at link time so that the build stamp names the architectures of this binary.
#ifndef GPUCTL_BUILT
#define GPUCTL_BUILT "unknown"
#endif
extern const char* const gpuctl_built = GPUCTL_BUILT;
