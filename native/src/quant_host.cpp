#include "quant_host.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <type_traits>

#include "check.hpp"
#include "cpu_ref.hpp"
#include "philox.hpp"
#include "threads.hpp"

using namespace quant;

namespace {
template <class R> int code_of(R z) { return z > R(kZEntry) ? -1 : z < -R(kZEntry) ? 1 : (z < R(kZExit) && z > -R(kZExit)) ? 0 : 2; }

// rank[i] = position of (v[i], i) in ascending order; ord is scratch of size n.
template <class V> void rank_row(const V* v, int32_t* rank, std::vector<int32_t>& ord, int64_t n) {
  ord.resize(static_cast<size_t>(n));
  std::iota(ord.begin(), ord.end(), 0);
  std::sort(ord.begin(), ord.end(), [&](int32_t a, int32_t b) { return v[a] < v[b] || (v[a] == v[b] && a < b); });
  for (int64_t i = 0; i < n; ++i) rank[ord[i]] = static_cast<int32_t>(i);
}
}  // namespace

// R = double: two-pass mean and std per step. R = float: the GPU's arithmetic (sums of p - c, c the
// group's first price, restarted every kZGroup steps, slid within the group).
template <class R> void zscore_cpu(const float* p, R* z, int8_t* s, int64_t a0, int64_t a1, int64_t T) {
  constexpr int N = kZN;
  for (int64_t a = a0; a < a1; ++a) {
    const float* x = p + a * T;
    R* zo = z + a * T;
    int8_t* so = s + a * T;
    int st = 0;
    for (int64_t g = 0; g < T; g += kZGroup) {
      const float c = x[g];
      float s1 = 0.f, s2 = 0.f;
      if constexpr (std::is_same_v<R, float>)
        for (int64_t j = g - N + 1; j <= g; ++j)
          if (j >= 0) s1 += x[j] - c, s2 += (x[j] - c) * (x[j] - c);
      for (int64_t t = g; t < std::min<int64_t>(g + kZGroup, T); ++t) {
        R zt = 0;
        if constexpr (std::is_same_v<R, float>) {
          if (t > g) {
            const float yn = x[t] - c, yo = t - N >= 0 ? x[t - N] - c : 0.f;
            s1 += yn - yo;
            s2 += yn * yn - yo * yo;
          }
          const float m = s1 * (1.0f / N), var = fmaxf(s2 * (1.0f / N) - m * m, 0.f), sd = sqrtf(var);
          zt = (t >= N - 1 && sd > 0.f) ? (x[t] - c - m) / sd : 0.f;
        } else {
          if (t >= N - 1) {
            double m = 0, v = 0;
            for (int64_t j = t - N + 1; j <= t; ++j) m += x[j];
            m /= N;
            for (int64_t j = t - N + 1; j <= t; ++j) v += (x[j] - m) * (x[j] - m);
            const double sd = std::sqrt(v / N);
            zt = sd > 0 ? (x[t] - m) / sd : 0.0;
          }
        }
        zo[t] = zt;
        const int cd = code_of(zt);
        if (cd != 2) st = cd;
        so[t] = static_cast<int8_t>(st);
      }
    }
  }
}
template void zscore_cpu<float>(const float*, float*, int8_t*, int64_t, int64_t, int64_t);
template void zscore_cpu<double>(const float*, double*, int8_t*, int64_t, int64_t, int64_t);

template <class R> void momentum_cpu(const float* p, R* roc, int32_t* rank, int64_t t0, int64_t t1, int64_t A) {
  std::vector<int32_t> ord;
  for (int64_t t = t0; t < t1; ++t) {
    R* r = roc + t * A;
    for (int64_t a = 0; a < A; ++a) r[a] = t >= kRocN ? static_cast<R>(R(p[t * A + a]) / R(p[(t - kRocN) * A + a]) - R(1)) : R(0);
    rank_row(r, rank + t * A, ord, A);
  }
}
template void momentum_cpu<float>(const float*, float*, int32_t*, int64_t, int64_t, int64_t);
template void momentum_cpu<double>(const float*, double*, int32_t*, int64_t, int64_t, int64_t);

// ---------------------------------------------------------------- z-score
void ZscoreCase::make(int64_t a, int64_t t, uint64_t seed, uint32_t stream, bool with_ref) {
  A = a;
  T = t;
  gen_series(p, A, T, seed, stream);
  if (!with_ref) return;
  zref.assign(static_cast<size_t>(A * T), 0);
  sref.assign(static_cast<size_t>(A * T), 0);
  parallel_ranges(A, [&](int64_t b, int64_t e, int) { zscore_cpu<double>(p.data(), zref.data(), sref.data(), b, e, T); });
}

Check ZscoreCase::check(const float* z, const int8_t* s, double* mismatch) const {
  Check c = check_rel_l2(z, zref.data(), A * T, kBoundZ);
  std::atomic<int64_t> bad{0}, diff{0};
  parallel_ranges(A, [&](int64_t b, int64_t e, int) {
    int64_t nb = 0, nd = 0;
    for (int64_t a = b; a < e; ++a) {
      int st = 0;
      for (int64_t t = a * T; t < (a + 1) * T; ++t) {
        const int cd = code_of(z[t]);
        if (cd != 2) st = cd;
        nb += s[t] != st;
        nd += s[t] != sref[t];
      }
    }
    bad += nb;
    diff += nd;
  });
  *mismatch = static_cast<double>(diff.load()) / static_cast<double>(A * T);
  if (c.passed && bad.load()) {
    c.passed = false;
    c.detail = std::to_string(bad.load()) + " signals differ from the hysteresis of the output's own z";
  } else if (c.passed && *mismatch > kBoundSignalMismatch) {
    c.passed = false;
    c.detail = "signal differs from the float64 signal on " + std::to_string(*mismatch) + " of the steps";
  }
  return c;
}

void ZscoreCase::cpu(int64_t a1, float* z, int8_t* s) const {
  parallel_ranges(a1, [&](int64_t b, int64_t e, int) { zscore_cpu<float>(p.data(), z, s, b, e, T); });
}

// ---------------------------------------------------------------- momentum
void MomentumCase::make(int64_t a, int64_t t, uint64_t seed, uint32_t stream, bool with_ref, double jump_rate) {
  A = a;
  T = t;
  std::vector<float> sm;  // series-major walks, transposed to time-major
  gen_series(sm, A, T, seed, stream);
  p.resize(sm.size());
  parallel_ranges(T, [&](int64_t b, int64_t e, int) {
    for (int64_t tt = b; tt < e; ++tt)
      for (int64_t i = 0; i < A; ++i) p[tt * A + i] = sm[i * T + tt];
  });
  if (jump_rate > 0) {  // a jump at (asset, step) when its Philox draw is below the rate; every later price moves with it
    const uint32_t k0 = key0(seed, stream ^ 0x4a554d50u), k1 = key1(seed, stream ^ 0x4a554d50u);
    const uint32_t below = static_cast<uint32_t>(jump_rate * 4294967296.0);
    parallel_for(A, [&](int64_t i) {
      float f = 1.f;
      for (int64_t tt = 1; tt < T; ++tt) {
        const U32x4 r = philox4x32_10({static_cast<uint32_t>(tt), static_cast<uint32_t>(i), 2, 0}, k0, k1);
        if (r.x < below) f *= (r.y & 1) ? 2.7182817f : 0.36787945f;
        p[tt * A + i] *= f;
      }
    });
  }
  if (!with_ref) return;
  rocref.assign(static_cast<size_t>(A * T), 0);
  rankref.assign(static_cast<size_t>(A * T), 0);
  parallel_ranges(T, [&](int64_t b, int64_t e, int) { momentum_cpu<double>(p.data(), rocref.data(), rankref.data(), b, e, A); });
}

Check MomentumCase::check(const float* roc, const int32_t* rank, double* mismatch) const {
  Check c = check_rel_l2(roc, rocref.data(), A * T, kBoundRoc);
  std::atomic<int64_t> bad{0}, diff{0};
  parallel_ranges(T, [&](int64_t b, int64_t e, int) {
    std::vector<int32_t> ord, own(static_cast<size_t>(A));
    int64_t nb = 0, nd = 0;
    for (int64_t t = b; t < e; ++t) {
      rank_row(roc + t * A, own.data(), ord, A);
      for (int64_t i = 0; i < A; ++i) {
        nb += rank[t * A + i] != own[i];
        nd += rank[t * A + i] != rankref[t * A + i];
      }
    }
    bad += nb;
    diff += nd;
  });
  *mismatch = static_cast<double>(diff.load()) / static_cast<double>(A * T);
  if (c.passed && bad.load()) {
    c.passed = false;
    c.detail = std::to_string(bad.load()) + " ranks differ from the ranking of the output's own roc";
  } else if (c.passed && *mismatch > kBoundRankMismatch) {
    c.passed = false;
    c.detail = "rank differs from the float64 ranking on " + std::to_string(*mismatch) + " of the entries";
  }
  return c;
}

void MomentumCase::cpu(int64_t t1, float* roc, int32_t* rank) const {
  parallel_ranges(t1, [&](int64_t b, int64_t e, int) { momentum_cpu<float>(p.data(), roc, rank, b, e, A); });
}
