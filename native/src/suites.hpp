// Entry points of the two modes (main.cpp dispatches) and the signatures of the table's functions.
// gpu_main.cu (or gpu_none.cpp in the CPU-only build) is the only caller of CUDA code.
#pragma once
#include <vector>

#include "common.hpp"

// What a CPU function (kernels.inc, CPU column) gets: the options and the repetitions to time.
struct CpuRun {
  const Options& o;
  int warmup, repeat;
};

int run_cpu_mode(const Options& o);  // cpu_suite.cpp (no CUDA)
int run_gpu_mode(const Options& o);  // gpu_main.cu: returns an exit code

// The CPU column's entry for kernels without a CPU implementation: emits the skip line.
void cpu_gpu_only(const CpuRun& run, const KernelInfo& k);
