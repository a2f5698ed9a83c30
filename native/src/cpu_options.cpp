// Options on the CPU: Black-Scholes (closed form), Monte Carlo European and arithmetic Asian calls.
// The float32 MC implementations use the same Philox streams and path arithmetic as the GPU kernels.
#include <algorithm>
#include <cmath>
#include <vector>

#include "common.hpp"
#include "cpu_ref.hpp"
#include "philox.hpp"
#include "threads.hpp"

namespace {
template <class R> R cnd(R x) { return R(0.5) * std::erfc(-x * R(0.70710678118654752440)); }
}  // namespace

template <class R> void bs_cpu(const float* S, const float* K, const float* T, R* call, R* put, int64_t i0, int64_t i1) {
  const R r = fin::kBsR, v = fin::kBsV;
  for (int64_t i = i0; i < i1; ++i) {
    const R s = S[i], k = K[i], t = T[i];
    const R sq = std::sqrt(t);
    const R d1 = (std::log(s / k) + (r + R(0.5) * v * v) * t) / (v * sq);
    const R d2 = d1 - v * sq;
    const R df = std::exp(-r * t);
    const R c1 = cnd(d1), c2 = cnd(d2);
    call[i] = s * c1 - k * df * c2;
    put[i] = k * df * (R(1) - c2) - s * (R(1) - c1);
  }
}
template void bs_cpu<float>(const float*, const float*, const float*, float*, float*, int64_t, int64_t);
template void bs_cpu<double>(const float*, const float*, const float*, double*, double*, int64_t, int64_t);

double bs_call(double S, double K, double r, double v, double T) {
  const double sq = std::sqrt(T);
  const double d1 = (std::log(S / K) + (r + 0.5 * v * v) * T) / (v * sq), d2 = d1 - v * sq;
  return S * cnd(d1) - K * std::exp(-r * T) * cnd(d2);
}

McEstimate mc_estimate(const McSums& s, double discount) {
  McEstimate e;
  if (s.n < 2) return e;
  const double n = static_cast<double>(s.n), mean = s.sum / n;
  const double var = std::max(0.0, (s.sumsq / n - mean * mean) * n / (n - 1));
  e.price = discount * mean;
  e.se = discount * std::sqrt(var / n);
  return e;
}

// Same float arithmetic as the GPU: u in (0,1), Box-Muller, S_T = S0 * exp(drift + vol * z).
static inline void bm_f(uint32_t a, uint32_t b, float* z0, float* z1) {
  const float rad = std::sqrt(-2.0f * std::log(u01f(a)));
  const float th = 6.2831853f * (u01f(b) - 0.5f);
  *z0 = rad * std::cos(th);
  *z1 = rad * std::sin(th);
}

McSums mc_european_cpu(uint64_t seed, int64_t p0, int64_t p1) {
  using namespace fin;
  const uint32_t k0 = key0(seed, 7), k1 = key1(seed, 7);
  const float drift = (kMcR - 0.5f * kMcV * kMcV) * kMcT, vol = kMcV * std::sqrt(kMcT);
  McSums out;
  for (int64_t g = p0 / 4; g * 4 < p1; ++g) {
    U32x4 r = philox4x32_10({static_cast<uint32_t>(g), static_cast<uint32_t>(g >> 32), 0, 0}, k0, k1);
    float z[4];
    bm_f(r.x, r.y, &z[0], &z[1]);
    bm_f(r.z, r.w, &z[2], &z[3]);
    for (int j = 0; j < 4; ++j) {
      const int64_t path = g * 4 + j;
      if (path < p0 || path >= p1) continue;
      const float st = kMcS0 * std::exp(drift + vol * z[j]);
      const double pay = std::max(st - kMcK, 0.0f);
      out.sum += pay;
      out.sumsq += pay * pay;
      ++out.n;
    }
  }
  return out;
}

McSums mc_asian_cpu(uint64_t seed, int64_t steps, int64_t p0, int64_t p1) {
  using namespace fin;
  const uint32_t k0 = key0(seed, 8), k1 = key1(seed, 8);
  const float dt = kMcT / static_cast<float>(steps);
  const float drift = (kMcR - 0.5f * kMcV * kMcV) * dt, vol = kMcV * std::sqrt(dt);
  McSums out;
  for (int64_t i = p0; i < p1; ++i) {
    float s = kMcS0, acc = 0.f;
    for (int64_t k = 0; k < steps; k += 4) {
      U32x4 r = philox4x32_10({static_cast<uint32_t>(i), static_cast<uint32_t>(i >> 32), static_cast<uint32_t>(k >> 2), 0}, k0, k1);
      float z[4];
      bm_f(r.x, r.y, &z[0], &z[1]);
      bm_f(r.z, r.w, &z[2], &z[3]);
      for (int j = 0; j < 4 && k + j < steps; ++j) {
        s *= std::exp(drift + vol * z[j]);
        acc += s;
      }
    }
    const double pay = std::max(acc / static_cast<float>(steps) - kMcK, 0.0f);
    out.sum += pay;
    out.sumsq += pay * pay;
    ++out.n;
  }
  return out;
}

double geometric_asian_call(double S0, double K, double r, double v, double T, int64_t m) {
  const double md = static_cast<double>(m);
  const double mu = std::log(S0) + (r - 0.5 * v * v) * T * (md + 1) / (2 * md);
  const double sg = v * std::sqrt(T * (md + 1) * (2 * md + 1) / (6 * md * md));
  const double d2 = (mu - std::log(K)) / sg, d1 = d2 + sg;
  return std::exp(-r * T) * (std::exp(mu + 0.5 * sg * sg) * cnd(d1) - K * cnd(d2));
}

// float64 Monte Carlo with the geometric-average control variate, on its own Philox stream (9), so
// that it is independent of the estimate it checks.
McEstimate asian_reference_cv(uint64_t seed, int64_t paths, int64_t steps, int threads) {
  using namespace fin;
  const uint32_t k0 = key0(seed, 9), k1 = key1(seed, 9);
  const double T = kMcT, r = kMcR, v = kMcV, S0 = kMcS0, K = kMcK;
  const double dt = T / static_cast<double>(steps);
  const double drift = (r - 0.5 * v * v) * dt, vol = v * std::sqrt(dt);
  struct Acc {
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  };
  std::vector<Acc> acc(std::max(1, threads));
  parallel_ranges(
      paths,
      [&](int64_t b, int64_t e, int w) {
        Acc a;
        for (int64_t i = b; i < e; ++i) {
          double logs = std::log(S0), arith = 0, geo = 0;
          for (int64_t k = 0; k < steps; k += 4) {
            U32x4 q = philox4x32_10({static_cast<uint32_t>(i), static_cast<uint32_t>(i >> 32), static_cast<uint32_t>(k >> 2), 0}, k0, k1);
            double z[4];
            box_muller_d(q.x, q.y, &z[0], &z[1]);
            box_muller_d(q.z, q.w, &z[2], &z[3]);
            for (int j = 0; j < 4 && k + j < steps; ++j) {
              logs += drift + vol * z[j];
              arith += std::exp(logs);
              geo += logs;
            }
          }
          const double x = std::max(arith / steps - K, 0.0);
          const double y = std::max(std::exp(geo / steps) - K, 0.0);
          a.sx += x;
          a.sy += y;
          a.sxx += x * x;
          a.syy += y * y;
          a.sxy += x * y;
        }
        acc[w] = a;
      },
      threads);
  Acc t;
  for (auto& a : acc) {
    t.sx += a.sx;
    t.sy += a.sy;
    t.sxx += a.sxx;
    t.syy += a.syy;
    t.sxy += a.sxy;
  }
  const double n = static_cast<double>(paths), disc = std::exp(-r * T);
  const double mx = t.sx / n, my = t.sy / n;
  const double cxy = t.sxy / n - mx * my, vyy = t.syy / n - my * my, vxx = t.sxx / n - mx * mx;
  const double beta = vyy > 0 ? cxy / vyy : 0;
  const double ey = geometric_asian_call(S0, K, r, v, T, steps) / disc;  // undiscounted E[Y]
  McEstimate e;
  e.price = disc * (mx - beta * (my - ey));
  const double vres = std::max(0.0, vxx - 2 * beta * cxy + beta * beta * vyy) * n / (n - 1);
  e.se = disc * std::sqrt(vres / n);
  return e;
}
