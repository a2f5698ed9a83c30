// Technical indicators on the CPU. R = double is the reference; R = float is the CPU implementation
// that is timed (it follows the GPU algorithm: 16-output groups, window sums restarted per group).
//
// Definitions (t = 0 .. T-1, per series):
//   SMA(n):  mean of p[max(0,t-n+1) .. t]   (expanding mean while t < n-1)
//   EMA(n):  expanding mean for t <= n-1 (so EMA[n-1] = SMA(n)), then y = a*y + (1-a)*p, a = 1 - 2/(n+1)
//   Bollinger(n, k): mid = SMA window mean, sigma = population std of the same window, up/lo = mid +- k*sigma
//   RSI(N) Wilder: d = p[t]-p[t-1], g = max(d,0), l = max(-d,0); for 1 <= t <= N the averages are the
//            expanding means of g, l over 1..t (at t = N: Wilder's seed), then avg = ((N-1)*avg + x)/N;
//            RSI = 100*G/(G+L) (50 when G+L == 0, and at t = 0).
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "common.hpp"
#include "cpu_ref.hpp"

namespace {
constexpr int kGroup = 16;
}

template <class R> void sma_cpu(const float* p, R* out, int64_t a0, int64_t a1, int64_t T) {
  const int n = fin::kSmaN;
  for (int64_t a = a0; a < a1; ++a) {
    const float* x = p + a * T;
    R* o = out + a * T;
    for (int64_t g = 0; g < T; g += kGroup) {
      R s = 0;
      for (int64_t j = std::max<int64_t>(0, g - n + 1); j <= g; ++j) s += x[j];
      for (int64_t t = g; t < std::min<int64_t>(g + kGroup, T); ++t) {
        if (t > g) {
          s += x[t];
          if (t - n >= 0) s -= x[t - n];
        }
        o[t] = s / static_cast<R>(std::min<int64_t>(t + 1, n));
      }
    }
  }
}

template <class R> void ema_cpu(const float* p, R* out, int64_t a0, int64_t a1, int64_t T) {
  const int n = fin::kEmaN;
  const R alpha = R(2) / R(n + 1), a = R(1) - alpha;
  for (int64_t s = a0; s < a1; ++s) {
    const float* x = p + s * T;
    R* o = out + s * T;
    R y = 0;
    for (int64_t t = 0; t < T; ++t) {
      if (t < n) y = (R(t) * y + R(x[t])) / R(t + 1);  // expanding mean; y[n-1] = SMA(n)
      else y = a * y + alpha * R(x[t]);
      o[t] = y;
    }
  }
}

template <class R> void bollinger_cpu(const float* p, R* mid, R* up, R* lo, int64_t a0, int64_t a1, int64_t T) {
  const int n = fin::kBbN;
  const R k = fin::kBbK;
  for (int64_t a = a0; a < a1; ++a) {
    const float* x = p + a * T;
    const int64_t base = a * T;
    for (int64_t g = 0; g < T; g += kGroup) {
      R m = 0, m2 = 0;
      for (int64_t t = g; t < std::min<int64_t>(g + kGroup, T); ++t) {
        const int64_t c = std::min<int64_t>(t + 1, n);
        if (t == g || t < n || std::is_same<R, double>::value) {  // two-pass (always for the reference)
          R s = 0;
          for (int64_t j = t - c + 1; j <= t; ++j) s += x[j];
          m = s / R(c);
          m2 = 0;
          for (int64_t j = t - c + 1; j <= t; ++j) m2 += (R(x[j]) - m) * (R(x[j]) - m);
        } else {  // sliding Welford update: x_old leaves, x_new enters (window stays n long)
          const R xn = x[t], xo = x[t - n];
          const R mn = m + (xn - xo) / R(n);
          m2 += (xn - xo) * (xn - mn + xo - m);
          m = mn;
          if (m2 < 0) m2 = 0;
        }
        const R sd = std::sqrt(m2 / R(c));
        mid[base + t] = m;
        up[base + t] = m + k * sd;
        lo[base + t] = m - k * sd;
      }
    }
  }
}

template <class R> void rsi_cpu(const float* p, R* out, int64_t a0, int64_t a1, int64_t T) {
  const int N = fin::kRsiN;
  for (int64_t s = a0; s < a1; ++s) {
    const float* x = p + s * T;
    R* o = out + s * T;
    R G = 0, L = 0;
    o[0] = 50;
    for (int64_t t = 1; t < T; ++t) {
      const float d = x[t] - x[t - 1];  // float difference, as on the GPU (exact for nearby prices)
      const R g = d > 0 ? R(d) : R(0), l = d < 0 ? R(-d) : R(0);
      if (t <= N) {
        G = (R(t - 1) * G + g) / R(t);
        L = (R(t - 1) * L + l) / R(t);
      } else {
        G = (R(N - 1) * G + g) / R(N);
        L = (R(N - 1) * L + l) / R(N);
      }
      o[t] = (G + L > 0) ? R(100) * G / (G + L) : R(50);
    }
  }
}

template void sma_cpu<float>(const float*, float*, int64_t, int64_t, int64_t);
template void sma_cpu<double>(const float*, double*, int64_t, int64_t, int64_t);
template void ema_cpu<float>(const float*, float*, int64_t, int64_t, int64_t);
template void ema_cpu<double>(const float*, double*, int64_t, int64_t, int64_t);
template void bollinger_cpu<float>(const float*, float*, float*, float*, int64_t, int64_t, int64_t);
template void bollinger_cpu<double>(const float*, double*, double*, double*, int64_t, int64_t, int64_t);
template void rsi_cpu<float>(const float*, float*, int64_t, int64_t, int64_t);
template void rsi_cpu<double>(const float*, double*, int64_t, int64_t, int64_t);
