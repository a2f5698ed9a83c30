#include "fin_host.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "check.hpp"
#include "threads.hpp"

uint32_t stream_of(const char* name) {
  uint32_t h = 2166136261u;  // FNV-1a: each kernel draws its own inputs from the seed
  for (const char* c = name; *c; ++c) h = (h ^ static_cast<unsigned char>(*c)) * 16777619u;
  return (h & 0x7FFFFFFFu) | 0x100u;
}

double cpu_fraction(const Options& o) { return o.cpu_compare ? 1.0 : 1.0 / 16.0; }

// ---------------------------------------------------------------- technical indicators
static void ta_run(Ta k, const float* p, int64_t a0, int64_t a1, int64_t T, float* const* o) {
  switch (k) {
    case Ta::Sma: sma_cpu<float>(p, o[0], a0, a1, T); break;
    case Ta::Ema: ema_cpu<float>(p, o[0], a0, a1, T); break;
    case Ta::Bollinger: bollinger_cpu<float>(p, o[0], o[1], o[2], a0, a1, T); break;
    case Ta::Rsi: rsi_cpu<float>(p, o[0], a0, a1, T); break;
  }
}

void TaCase::make(Ta k, int64_t a, int64_t t, uint64_t seed, uint32_t stream, bool with_ref) {
  kind = k;
  A = a;
  T = t;
  gen_series(p, A, T, seed, stream);
  if (!with_ref) return;
  for (int i = 0; i < nout(); ++i) ref[i].assign(static_cast<size_t>(A * T), 0.0);
  double* r[3] = {ref[0].data(), ref[1].data(), ref[2].data()};
  parallel_ranges(A, [&](int64_t b, int64_t e, int) {
    switch (k) {
      case Ta::Sma: sma_cpu<double>(p.data(), r[0], b, e, T); break;
      case Ta::Ema: ema_cpu<double>(p.data(), r[0], b, e, T); break;
      case Ta::Bollinger: bollinger_cpu<double>(p.data(), r[0], r[1], r[2], b, e, T); break;
      case Ta::Rsi: rsi_cpu<double>(p.data(), r[0], b, e, T); break;
    }
  });
}

Check TaCase::check(float* const* outs) const {
  if (kind != Ta::Bollinger) return check_rel_l2(outs[0], ref[0].data(), A * T, bound());
  // Bollinger: the worst of mid, upper, lower, and sigma = (upper - lower) / 2k on its own (sigma is
  // small next to the prices, so an error in it would hide inside upper/lower).
  Check worst;
  worst.passed = true;
  for (int i = 0; i < 3; ++i) {
    Check c = check_rel_l2(outs[i], ref[i].data(), A * T, bound());
    if (!c.passed || c.error > worst.error) worst = c;
  }
  if (!worst.passed) return worst;
  const int64_t n = A * T;
  std::vector<float> sg(n);
  std::vector<double> sr(n);
  const double k2 = 2.0 * fin::kBbK;
  parallel_for(n, [&](int64_t i) {
    sg[i] = static_cast<float>((static_cast<double>(outs[1][i]) - outs[2][i]) / k2);
    sr[i] = (ref[1][i] - ref[2][i]) / k2;
  });
  Check c = check_rel_l2(sg.data(), sr.data(), n, bound());
  if (!c.passed || c.error > worst.error) worst = c;
  return worst;
}

void TaCase::cpu(int64_t a1, float* const* outs) const {
  parallel_ranges(a1, [&](int64_t b, int64_t e, int) { ta_run(kind, p.data(), b, e, T, outs); });
}

// ---------------------------------------------------------------- Black-Scholes
void BsCase::make(int64_t count, uint64_t seed, uint32_t stream, bool with_ref) {
  n = count;
  gen_options(S, K, T, n, seed, stream);
  if (!with_ref) return;
  call.assign(n, 0);
  put.assign(n, 0);
  parallel_ranges(n, [&](int64_t b, int64_t e, int) { bs_cpu<double>(S.data(), K.data(), T.data(), call.data(), put.data(), b, e); });
}

Check BsCase::check(const float* c, const float* p) const {
  L2Acc a;
  a.add(c, call.data(), n);
  a.add(p, put.data(), n);
  return finish_rel_l2(a, kBoundBs);
}

void BsCase::cpu(int64_t i1, float* c, float* p) const {
  parallel_ranges(i1, [&](int64_t b, int64_t e, int) { bs_cpu<float>(S.data(), K.data(), T.data(), c, p, b, e); });
}

// ---------------------------------------------------------------- Monte Carlo
double mc_european_expected() {
  using namespace fin;
  return bs_call(kMcS0, kMcK, kMcR, kMcV, kMcT);
}

static McSums mc_parallel(int64_t paths, const std::function<McSums(int64_t, int64_t)>& f) {
  const int nt = cpu_threads();
  std::vector<McSums> part(nt);
  // ranges aligned to 4 paths (one Philox call feeds 4 European paths)
  const int64_t groups = (paths + 3) / 4;
  parallel_ranges(
      groups, [&](int64_t b, int64_t e, int w) { part[w] = f(b * 4, std::min(e * 4, paths)); }, nt);
  McSums s;
  for (auto& q : part) {
    s.sum += q.sum;
    s.sumsq += q.sumsq;
    s.n += q.n;
  }
  return s;
}

McSums mc_european_cpu_parallel(uint64_t seed, int64_t paths) {
  return mc_parallel(paths, [&](int64_t b, int64_t e) { return mc_european_cpu(seed, b, e); });
}
McSums mc_asian_cpu_parallel(uint64_t seed, int64_t steps, int64_t paths) {
  return mc_parallel(paths, [&](int64_t b, int64_t e) { return mc_asian_cpu(seed, steps, b, e); });
}

// ---------------------------------------------------------------- VaR
void VarCase::make(int64_t p, int64_t s, int64_t a, uint64_t seed, uint32_t stream, bool with_ref) {
  P = p;
  S = s;
  A = a;
  gen_var_inputs(W, R, P, S, A, seed, stream);
  if (!with_ref) return;
  ref.assign(P, 0);
  parallel_ranges(P, [&](int64_t b, int64_t e, int) { var_cpu<double>(W.data(), R.data(), ref.data(), b, e, S, A, es); });
}

Check VarCase::check(const float* var) const { return check_rel_l2(var, ref.data(), P, kBoundVar); }

void VarCase::cpu(int64_t p1, float* var) const {
  parallel_ranges(p1, [&](int64_t b, int64_t e, int) { var_cpu<float>(W.data(), R.data(), var, b, e, S, A, es); });
}

// ---------------------------------------------------------------- backtest
void BacktestCase::make(int64_t a, int64_t t, uint64_t seed, uint32_t stream, bool with_ref) {
  A = a;
  T = t;
  gen_series(p, A, T, seed, stream);
  if (!with_ref) return;
  for (auto& r : ref) r.assign(static_cast<size_t>(A * 64), 0);
  parallel_ranges(A,
                  [&](int64_t b, int64_t e, int) { backtest_cpu<double>(p.data(), ref[0].data(), ref[1].data(), ref[2].data(), b, e, T); });
}

Check BacktestCase::check(const float* const* outs) const {
  static const char* const what[3] = {"pnl", "sharpe", "max drawdown"};
  Check worst;
  worst.passed = true;
  for (int i = 0; i < 3; ++i) {
    Check c = check_rel_l2(outs[i], ref[i].data(), A * 64, kBoundBacktest);
    if (!c.passed) c.detail = std::string(what[i]) + (c.detail.empty() ? "" : ": " + c.detail);
    if (!c.passed || c.error > worst.error) worst = c;
    if (!worst.passed) break;
  }
  return worst;
}

void BacktestCase::cpu(int64_t a1, float* const* outs) const {
  parallel_ranges(a1, [&](int64_t b, int64_t e, int) { backtest_cpu<float>(p.data(), outs[0], outs[1], outs[2], b, e, T); });
}
