// CUDA-side helpers: error checks, RAII buffers, event timing, the per-run context.
#pragma once
#include <cuda_runtime.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common.hpp"

struct CudaError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline void cuda_check(cudaError_t e, const char* what, const char* file, int line) {
  if (e != cudaSuccess)
    throw CudaError(std::string(cudaGetErrorName(e)) + " (" + cudaGetErrorString(e) + ") at " + file + ":" + std::to_string(line) + ": " +
                    what);
}
#define CK(x) cuda_check((x), #x, __FILE__, __LINE__)
#define CK_LAUNCH() cuda_check(cudaGetLastError(), "kernel launch", __FILE__, __LINE__)

template <class T> struct DevBuf {
  T* p = nullptr;
  size_t n = 0;
  DevBuf() = default;
  explicit DevBuf(size_t count) { alloc(count); }
  void alloc(size_t count) {
    free();
    n = count;
    if (count) CK(cudaMalloc(reinterpret_cast<void**>(&p), count * sizeof(T)));
  }
  void free() {
    if (p) cudaFree(p);
    p = nullptr;
    n = 0;
  }
  ~DevBuf() { free(); }
  DevBuf(const DevBuf&) = delete;
  DevBuf& operator=(const DevBuf&) = delete;
  size_t bytes() const { return n * sizeof(T); }
};

struct GpuCtx {
  const Options& o;
  int dev = 0;
  cudaDeviceProp prop{};
  cudaStream_t s = nullptr;
  int warmup = 3, repeat = 20;
  bool dead = false;  // a sticky CUDA error: nothing more can run
  explicit GpuCtx(const Options& opt) : o(opt) {}
};

// Every repetition timed with its own pair of CUDA events around f(); warm-up runs first.
std::vector<double> time_events(GpuCtx& c, const std::function<void()>& f, int warmup = -1, int repeat = -1);

// NaN poison (0xFF bytes is a NaN for float, double, half and bf16).
inline void poison(void* p, size_t bytes, cudaStream_t s) { CK(cudaMemsetAsync(p, 0xFF, bytes, s)); }

template <class T> void to_host(std::vector<T>& h, const DevBuf<T>& d, cudaStream_t s, size_t count = 0) {
  h.resize(count ? count : d.n);
  CK(cudaMemcpyAsync(h.data(), d.p, h.size() * sizeof(T), cudaMemcpyDeviceToHost, s));
  CK(cudaStreamSynchronize(s));
}
template <class T> void to_host_raw(std::vector<T>& h, const void* d, size_t count, cudaStream_t s) {
  h.resize(count);
  CK(cudaMemcpyAsync(h.data(), d, count * sizeof(T), cudaMemcpyDeviceToHost, s));
  CK(cudaStreamSynchronize(s));
}
template <class T> void to_dev(DevBuf<T>& d, const std::vector<T>& h, cudaStream_t s) {
  if (d.n < h.size()) d.alloc(h.size());
  CK(cudaMemcpyAsync(d.p, h.data(), h.size() * sizeof(T), cudaMemcpyHostToDevice, s));
  CK(cudaStreamSynchronize(s));
}

// Runs one kernel's benchmark (gpu_main.cu calls it around each GPU function of kernels.inc); CUDA
// errors become `error` lines (cuda_error), counted as failures.
void guarded(GpuCtx& c, const char* suite, const char* name, const std::function<void()>& body);

inline int grid_for(int64_t work, int block) { return static_cast<int>((work + block - 1) / block); }
