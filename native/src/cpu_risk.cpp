// Risk kernels on the CPU: historical VaR (P&L product + 1% order statistic), ES 97.5% (the same product, the
// mean of the 2.5% tail) and the MA-crossover grid backtest. R = double: reference; R = float: the timed CPU implementation.
#include <algorithm>
#include <cmath>
#include <vector>

#include "common.hpp"
#include "cpu_ref.hpp"

template <class R> void var_cpu(const float* W, const float* Rt, R* var, int64_t p0, int64_t p1, int64_t S, int64_t A, bool es) {
  constexpr int64_t PB = 8, SB = 16;
  const int64_t k = es ? fin::es_count(S) - 1 : static_cast<int64_t>(std::floor(fin::kVarAlpha * static_cast<double>(S)));
  std::vector<R> pnl(static_cast<size_t>(PB * S));
  for (int64_t pb = p0; pb < p1; pb += PB) {
    const int64_t pe = std::min(pb + PB, p1);
    for (int64_t sb = 0; sb < S; sb += SB) {
      const int64_t se = std::min(sb + SB, S);
      for (int64_t p = pb; p < pe; ++p) {
        const float* w = W + p * A;
        for (int64_t s = sb; s < se; ++s) {
          const float* r = Rt + s * A;
          R acc = 0;
          for (int64_t a = 0; a < A; ++a) acc += R(w[a]) * R(r[a]);
          pnl[(p - pb) * S + s] = acc;
        }
      }
    }
    for (int64_t p = pb; p < pe; ++p) {
      R* row = pnl.data() + (p - pb) * S;
      std::nth_element(row, row + k, row + S);  // row[0 .. k) are the k smallest, row[k] the next
      if (es) {
        R tail = row[k];
        for (int64_t i = 0; i < k; ++i) tail += row[i];
        var[p] = -tail / R(k + 1);
      } else {
        var[p] = -row[k];
      }
    }
  }
}
template void var_cpu<float>(const float*, const float*, float*, int64_t, int64_t, int64_t, int64_t, bool);
template void var_cpu<double>(const float*, const float*, double*, int64_t, int64_t, int64_t, int64_t, bool);

// Backtest: at the close of step t the position is sign(SMA_fast - SMA_slow) (long/short, 0 on an exact
// tie, 0 until the slow window is full: t < slow-1); it earns r[t+1] = (p[t+1]-p[t])/p[t] and pays
// kCost * |pos[t] - pos[t-1]|; t = 0 .. T-2. The comparison slow*sum_fast vs fast*sum_slow is done on
// float64 window sums of the float32 prices, which are exact (window price ratio < 2^12), so the GPU,
// the CPU and the reference take identical decisions. Beside the PnL (the sum of the step returns ret[t]):
// the Sharpe ratio of ret and the maximum drawdown of its running sum (fin::sharpe_of).
template <class R> void backtest_cpu(const float* p, R* pnl, R* sharpe, R* mdd, int64_t a0, int64_t a1, int64_t T) {
  using namespace fin;
  for (int64_t a = a0; a < a1; ++a) {
    const float* x = p + a * T;
    double sf[8] = {}, ss[8] = {};
    R acc[8][8] = {}, sq[8][8] = {}, peak[8][8] = {}, dd[8][8] = {};
    int prev[8][8] = {};
    for (int64_t t = 0; t + 1 < T; ++t) {
      const double xt = x[t];
      for (int i = 0; i < 8; ++i) sf[i] += xt - (t >= kFast[i] ? double(x[t - kFast[i]]) : 0.0);
      for (int j = 0; j < 8; ++j) ss[j] += xt - (t >= kSlow[j] ? double(x[t - kSlow[j]]) : 0.0);
      const R r = (R(x[t + 1]) - R(x[t])) / R(x[t]);
      for (int i = 0; i < 8; ++i)
        for (int j = 0; j < 8; ++j) {
          int pos = 0;
          if (t >= kSlow[j] - 1) {
            const double lhs = double(kSlow[j]) * sf[i], rhs = double(kFast[i]) * ss[j];
            pos = (lhs > rhs) - (lhs < rhs);
          }
          const R ret = R(pos) * r - R(kCost) * R(std::abs(pos - prev[i][j]));
          acc[i][j] += ret;
          sq[i][j] += ret * ret;
          peak[i][j] = std::max(peak[i][j], acc[i][j]);
          dd[i][j] = std::max(dd[i][j], peak[i][j] - acc[i][j]);
          prev[i][j] = pos;
        }
    }
    for (int i = 0; i < 8; ++i)
      for (int j = 0; j < 8; ++j) {
        const int64_t o = a * 64 + i * 8 + j;
        pnl[o] = acc[i][j];
        sharpe[o] = static_cast<R>(sharpe_of(acc[i][j], sq[i][j], static_cast<double>(T - 1)));
        mdd[o] = dd[i][j];
      }
  }
}
template void backtest_cpu<float>(const float*, float*, float*, float*, int64_t, int64_t, int64_t);
template void backtest_cpu<double>(const float*, double*, double*, double*, int64_t, int64_t, int64_t);
