// Latency suite, the host side of the tail (issue 21): knobs read from the environment for the GPU rows'
// timing loop, and the loop's own page faults and context switches (getrusage of the timing thread), so
// that one run can say where a p99 goes. Host code only (no CUDA); on non-Linux hosts every knob is inert.
// The defaults (poll, pinned to the last CPU of the thread's allowed set) are what brought the 1-asset
// indicator graph's p99 under 30 us on the H200 (docs/benchmarks.md, "Latency tail"); the others measured
// there did not help.
//   GPUCTL_BENCH_LAT_SYNC   auto|spin|yield|blocking   cudaSetDeviceFlags(cudaDeviceSchedule*) (latency_run.cu)
//   GPUCTL_BENCH_LAT_WAIT   poll|sync                  busy-poll cudaStreamQuery (default), or cudaStreamSynchronize
//   GPUCTL_BENCH_LAT_PIN    last|first|N|none          pin the timing thread to one CPU of its allowed set (default last)
//   GPUCTL_BENCH_LAT_FIFO   1                          SCHED_FIFO (priority 50) for the timing loop
//   GPUCTL_BENCH_LAT_MLOCK  1                          mlockall(MCL_CURRENT | MCL_FUTURE) before the first request
//   GPUCTL_BENCH_LAT_FORM   mapped|mapped_loop|copy    the small requests (indicators 1 x 1024, Black-Scholes 1024):
//                                                      one kernel on mapped pinned host memory (default; mapped_loop:
//                                                      the indicators' first fused kernel), or the copy form (H2D,
//                                                      the kernels, D2H) measured before it
#pragma once
#include <string>

namespace lat {
struct TailKnobs {
  std::string sync = "default", wait = "poll", pin = "last";  // pin: "none" leaves the affinity alone
  std::string form = "mapped";                                // "mapped_loop"; "copy": H2D + kernels + D2H
  bool fifo = false, mlock = false;
  static TailKnobs from_env();
  std::string describe() const;  // "sync=spin wait=poll pin=3 fifo mlock" (+ " form=copy")
};

struct Usage {
  long minflt = 0, majflt = 0, nvcsw = 0, nivcsw = 0;
  static Usage thread_now();
};

// Applies pin and fifo to the calling thread for its lifetime; restores both after. `applied` says what took.
class TailScope {
 public:
  explicit TailScope(const TailKnobs& k);
  ~TailScope();
  TailScope(const TailScope&) = delete;
  TailScope& operator=(const TailScope&) = delete;
  std::string applied;

 private:
  bool restore_aff_ = false, restore_sched_ = false;
  unsigned char saved_aff_[128] = {};
  int saved_policy_ = 0, saved_prio_ = 0;
};

void mlock_once(const TailKnobs& k);  // mlockall the first time it is asked to
}  // namespace lat
