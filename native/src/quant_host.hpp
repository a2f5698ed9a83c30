// Host halves of the quant kernels (issue 21): inputs, float64 references, the float32 CPU forms
// (multi-threaded) and the checks. No CUDA here; the GPU halves are in quant_zscore.cu and quant_momentum.cu.
//
// Mean reversion (zscore), series-major p[a*T + t]:
//   z[t] = (p[t] - mean) / std over the window p[t-19 .. t] (population std); z = 0 while t < 19 or std = 0.
//   signal s[t] (int8): -1 when z > 2 (short), +1 when z < -2 (long), 0 when |z| < 0.5 (exit), else s[t-1];
//   s[-1] = 0. Each step either sets the state or keeps it, so s[t] is the last setting at or before t.
// Momentum (momentum), time-major p[t*A + a] (a cross-section per step is contiguous):
//   roc[t][a] = p[t][a] / p[t-20][a] - 1 (0 while t < 20); rank[t][a] (int32) = the number of assets b with
//   roc[t][b] < roc[t][a], ties broken by the asset index (a permutation of 0 .. A-1 on every step).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common.hpp"

namespace quant {
constexpr int kZN = 20;  // z-score window
constexpr float kZEntry = 2.0f, kZExit = 0.5f;
constexpr int kRocN = 20;   // rate-of-change lag
constexpr int kZGroup = 8;  // z from window sums restarted every 8 steps (GPU thread group, CPU form)
constexpr double kBoundZ = 1e-4, kBoundRoc = 1e-5;
// The signal is a function of z's float value, so float32 and float64 differ where z is within rounding of a
// threshold and afterwards until the next setting: at most this fraction of the steps may differ.
constexpr double kBoundSignalMismatch = 1e-3;
// float32 roc = p1 / p0 - 1 is quantised at ~6e-8 (the ratio's ulp), while 4096 assets of roc std ~0.045 sit
// ~1e-5 apart near the centre: ties and swaps against the float64 order are inherent (~0.5% of entries).
constexpr double kBoundRankMismatch = 2e-2;

// The hysteresis step: +1/-1/0 sets the state, 2 keeps it.
inline int signal_code(float z) { return z > kZEntry ? -1 : z < -kZEntry ? 1 : (z < kZExit && z > -kZExit) ? 0 : 2; }
}  // namespace quant

struct ZscoreCase {
  int64_t A = 0, T = 0;
  std::vector<float> p;
  std::vector<double> zref;
  std::vector<int8_t> sref;  // the signal from float64 z
  void make(int64_t A, int64_t T, uint64_t seed, uint32_t stream, bool with_ref = true);
  double bytes() const { return 9.0 * A * T; }  // price read, z (4 B) and signal (1 B) written
  // rel_l2 of z; the signal must equal the hysteresis of the output's own z exactly, and may differ from
  // the float64 signal on at most kBoundSignalMismatch of the steps (extra: the mismatch fraction).
  Check check(const float* z, const int8_t* s, double* mismatch) const;
  void cpu(int64_t a1, float* z, int8_t* s) const;
};

struct MomentumCase {
  int64_t A = 0, T = 0;  // assets (cross-section), steps
  std::vector<float> p;  // time-major
  std::vector<double> rocref;
  std::vector<int32_t> rankref;  // ranks of the float64 roc
  // jump_rate > 0: each asset's price path also jumps by a factor e or 1/e at each step with that probability
  // (earnings, news: a few outliers in every step's cross-section, ~A * 20 * jump_rate of them), the heavy tail
  // real panels have and the Gaussian walks do not.
  void make(int64_t A, int64_t T, uint64_t seed, uint32_t stream, bool with_ref = true, double jump_rate = 0);
  double bytes() const { return 12.0 * A * T; }  // price read once, roc and rank written
  // rel_l2 of roc; every rank row must be the exact ranking of the output's own roc (a permutation), and
  // may differ from the float64 ranking on at most kBoundRankMismatch of the entries.
  Check check(const float* roc, const int32_t* rank, double* mismatch) const;
  void cpu(int64_t t1, float* roc, int32_t* rank) const;  // steps [0, t1)
};

// CPU forms (R = double: reference; R = float: the timed implementation).
template <class R> void zscore_cpu(const float* p, R* z, int8_t* s, int64_t a0, int64_t a1, int64_t T);
template <class R> void momentum_cpu(const float* p, R* roc, int32_t* rank, int64_t t0, int64_t t1, int64_t A);
