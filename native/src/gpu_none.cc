// The CPU-only build (make cpu) links this file in place of gpu_main.cu and the .cu files: no CUDA
// header, library or compiler is involved. GPU mode says what this binary is and exits 3.
#include "json.hpp"
#include "suites.hpp"

extern const int gpuctl_cuda_runtime = 0;

int run_gpu_mode(const Options&) {
  emit_error("no_gpu", "", "",
             "this gpuctl-bench is the CPU-only build (host C++ compiler, no CUDA): it runs --cpu and --list; "
             "GPU mode needs a build with nvcc");
  return 3;
}
