// Latency suite (latency.cu: the three requests; latency_run.cu: timing a request): what a request is, and
// the pinned buffers and graph branches the requests share.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "check.hpp"
#include "cluster.cuh"
#include "latency_stats.hpp"

namespace lat {
// Pinned host memory, also mapped into the device's address space: dev() is the pointer a kernel reads and
// writes it through (zero-copy; the same address under unified addressing).
struct Pinned {
  float* p = nullptr;
  explicit Pinned(size_t n) { CK(cudaHostAlloc(reinterpret_cast<void**>(&p), n * sizeof(float), cudaHostAllocMapped)); }
  float* dev() const {
    void* d = nullptr;
    CK(cudaHostGetDevicePointer(&d, p, 0));
    return static_cast<float*>(d);
  }
  ~Pinned() {
    if (p) cudaFreeHost(p);
  }
  Pinned(const Pinned&) = delete;
  Pinned& operator=(const Pinned&) = delete;
};

// Three side streams for fork/join branches inside a captured graph.
struct Branches {
  cudaStream_t side[3] = {};
  cudaEvent_t fork_ev = nullptr, join_ev[3] = {};
  Branches() {
    for (int i = 0; i < 3; ++i) {
      CK(cudaStreamCreateWithFlags(&side[i], cudaStreamNonBlocking));
      CK(cudaEventCreateWithFlags(&join_ev[i], cudaEventDisableTiming));
    }
    CK(cudaEventCreateWithFlags(&fork_ev, cudaEventDisableTiming));
  }
  ~Branches() {
    for (int i = 0; i < 3; ++i) {
      cudaStreamDestroy(side[i]);
      cudaEventDestroy(join_ev[i]);
    }
    cudaEventDestroy(fork_ev);
  }
  void fork(cudaStream_t s) {
    CK(cudaEventRecord(fork_ev, s));
    for (auto x : side) CK(cudaStreamWaitEvent(x, fork_ev, 0));
  }
  void join(cudaStream_t s) {
    for (int i = 0; i < 3; ++i) {
      CK(cudaEventRecord(join_ev[i], side[i]));
      CK(cudaStreamWaitEvent(s, join_ev[i], 0));
    }
  }
};

struct Request {
  std::string base;
  std::vector<std::pair<std::string, double>> size;
  std::function<void(cudaStream_t, bool)> issue;  // H2D, kernels, D2H (no sync); true: being captured
  std::function<Check()> check;                   // of the pinned output, after a sync
  std::function<void()> poison;                   // NaN into the pinned output
  std::function<void()> cpu;                      // the same request on one CPU thread
  std::string note;
};

// One result line: the request checked once (after poisoning its output), warmed up, then timed per request
// with the host's steady clock, as plain stream launches or as one captured graph replayed; the CPU side
// measured once per request and shared by its two rows.
void run_request(GpuCtx& c, const KernelInfo& kd, Request& q, bool graph);

// SMA + EMA + Bollinger + RSI of A series x 1024 steps in one kernel, p and o in mapped host memory (o: the 6
// outputs A x T apart, as the copy form's device buffer); loop: the first form's windows; latency_fused.cu.
void launch_indicators_fused(const float* p, float* o, int64_t A, int64_t T, cudaStream_t s, bool loop = false);
}  // namespace lat
