// CPU affinity for the per-GPU process (no CUDA here): bind to the CPUs local to the GPU, keep the
// affinity the process started with for the CPU reference's worker threads.
#pragma once
#include <string>

#if defined(__linux__)
#include <sched.h>
#endif

namespace affinity {
#if defined(__linux__)
// "0-31,64-95" (sysfs cpulist) -> a CPU set; false when empty or unreadable.
bool parse(const std::string& cpulist, cpu_set_t& set);
#endif
// "0-31,64-95" -> the CPUs it names, normalised (empty when unreadable or empty).
std::string normalise(const std::string& cpulist);
// Restrict the calling thread (and the threads it creates later) to `cpulist` intersected with the
// affinity the process had; returns the CPUs now allowed ("" when nothing was changed: an empty or
// unreadable list, or no CPU in common with the allowed ones).
std::string bind(const std::string& cpulist);
// In a worker thread of the CPU reference: back to the affinity the process started with (no-op
// unless bind() changed it), so CPU figures use the whole machine as before.
void restore_for_worker();
}  // namespace affinity
