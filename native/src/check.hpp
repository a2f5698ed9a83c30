// Output checks against float64 references (host, multi-threaded). Non-finite outputs (the NaN poison
// left where a kernel wrote nothing) always fail.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "common.hpp"

struct L2Acc {
  double num = 0, den = 0;
  int64_t bad = 0, n = 0;
  void add(const float* out, const double* ref, int64_t n);
  double rel() const;
};

// rel_l2 over one or more (out, ref) pairs accumulated in `acc`.
Check finish_rel_l2(const L2Acc& acc, double bound);
Check check_rel_l2(const float* out, const double* ref, int64_t n, double bound);
// Monte Carlo: |estimate - expected| / combined standard error <= bound (z-score).
Check check_ci(double estimate, double se, double expected, double se_expected, double bound);

// Time a CPU implementation: `run` does the whole (already fractioned) job; returns the CPU timing with
// median_ms scaled by 1/fraction.
CpuTiming time_cpu(const std::function<void()>& run, double fraction, int warmup, int repeat, std::vector<double>* samples = nullptr);

inline double now_ms() { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
