// Cluster and latency suites (issue 9): links between GPUs, NCCL collectives, one trading request end to end.
#pragma once
#include "fin_host.hpp"
#include "gpu.cuh"

// The table's GPU functions (kernels.inc) are defined in links*.cu, collectives.cu and latency*.cu.
// Frees what the links and collectives rows keep between rows (buffers on every GPU, communicators).
void cluster_teardown();
void links_teardown();        // links.cu
void collectives_teardown();  // collectives.cu
inline void cluster_teardown() {
  links_teardown();
  collectives_teardown();
}

// Kernel launchers shared with the finance suite.
void launch_ta(Ta k, const float* p, float* const* o, int64_t A, int64_t T, cudaStream_t s);                          // finance_ta.cu
void launch_bs(const float* S, const float* X, const float* T, float* call, float* put, int64_t n4, cudaStream_t s);  // finance_options.cu

// The GPUs the multi-GPU suites span: --gpus, or the --device alone.
inline std::vector<int> chosen_gpus(const GpuCtx& c) { return c.o.gpus.empty() ? std::vector<int>{c.dev} : c.o.gpus; }

// The GPU's PCI device directory in sysfs ("" when CUDA does not say) and the first line of a file
// (links_numa.cu): local_cpulist and numa_node place host buffers and threads near a GPU.
std::string gpu_sysfs_dir(int dev);
std::string read_line(const std::string& path);
