// Host halves of the finance benchmarks, shared by --cpu mode and GPU mode: inputs, float64 references,
// the float32 CPU implementation (multi-threaded) and the checks with their bounds.
#pragma once
#include <cstdint>
#include <vector>

#include "common.hpp"
#include "cpu_ref.hpp"

enum class Ta { Sma, Ema, Bollinger, Rsi };

// Bounds on rel_l2 against float64 (fp32 arithmetic). See docs/benchmarks.md.
constexpr double kBoundSmaEma = 1e-5, kBoundBbRsi = 1e-4, kBoundBs = 1e-5, kBoundVar = 1e-4, kBoundBacktest = 1e-4, kBoundCi = 4.0;

struct TaCase {
  Ta kind = Ta::Sma;
  int64_t A = 0, T = 0;
  std::vector<float> p;
  std::vector<double> ref[3];
  void make(Ta k, int64_t A, int64_t T, uint64_t seed, uint32_t stream, bool with_ref = true);
  int nout() const { return kind == Ta::Bollinger ? 3 : 1; }
  double bytes() const { return 4.0 * A * T * (1 + nout()); }
  double bound() const { return (kind == Ta::Sma || kind == Ta::Ema) ? kBoundSmaEma : kBoundBbRsi; }
  Check check(float* const* outs) const;
  void cpu(int64_t a1, float* const* outs) const;  // CPU float32 implementation, series [0, a1)
};

struct BsCase {
  int64_t n = 0;
  std::vector<float> S, K, T;  // padded to a multiple of 4
  std::vector<double> call, put;
  void make(int64_t n, uint64_t seed, uint32_t stream, bool with_ref = true);
  double bytes() const { return 20.0 * n; }  // 3 inputs read + 2 outputs written, 4 bytes each
  Check check(const float* call, const float* put) const;
  void cpu(int64_t i1, float* call, float* put) const;
};

// Monte Carlo European call: expected value is the analytic Black-Scholes price.
double mc_european_expected();
McSums mc_european_cpu_parallel(uint64_t seed, int64_t paths);
McSums mc_asian_cpu_parallel(uint64_t seed, int64_t steps, int64_t paths);

// es: Expected Shortfall 97.5% (fin::es_count) instead of VaR 99%, from the same P&L product.
struct VarCase {
  bool es = false;
  int64_t P = 0, S = 0, A = 0;
  std::vector<float> W, R;
  std::vector<double> ref;
  void make(int64_t P, int64_t S, int64_t A, uint64_t seed, uint32_t stream, bool with_ref = true);
  double flops() const { return 2.0 * P * S * A; }
  double bytes() const { return 4.0 * (P * A + S * A + P); }
  Check check(const float* var) const;
  void cpu(int64_t p1, float* var) const;
};

// Outputs per (series, fast, slow), each A x 64: PnL, Sharpe ratio, maximum drawdown (fin::sharpe_of).
struct BacktestCase {
  int64_t A = 0, T = 0;
  std::vector<float> p;
  std::vector<double> ref[3];
  void make(int64_t A, int64_t T, uint64_t seed, uint32_t stream, bool with_ref = true);
  double steps() const { return 64.0 * A * (T - 1); }  // (series, fast, slow, step) evaluations
  double bytes() const { return 4.0 * A * T + 3 * 4.0 * 64 * A; }
  Check check(const float* const* outs) const;  // the worst of the three rel_l2
  void cpu(int64_t a1, float* const* outs) const;
};

// Default fraction of the work the CPU implementation is timed on in GPU mode (1 with --cpu-compare).
double cpu_fraction(const Options& o);
// The Philox stream a kernel draws its inputs from: a hash of its name (KernelInfo::name).
uint32_t stream_of(const char* name);
