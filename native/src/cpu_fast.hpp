// Vectorised float32 CPU kernels for the latency requests (cpu_latency.cpp): Black-Scholes over eight
// lanes (GCC vector extensions) with polynomial exp/log (Cephes coefficients), sqrt by Newton steps and the
// Abramowitz-Stegun normal CDF (|error| < 7.5e-8, as NVIDIA's sample). (The VaR GEMV: cpu_gemv.hpp.)
// On x86-64 it is also built for x86-64-v3 (AVX2, FMA) and picked at load time (target_clones).
#pragma once
#include <cstdint>
#include <cstring>

#include "common.hpp"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FAST_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define FAST_CLONES
#endif

namespace fast {
inline float as_float(int32_t i) {
  float f;
  std::memcpy(&f, &i, 4);
  return f;
}
inline int32_t as_int(float f) {
  int32_t i;
  std::memcpy(&i, &f, 4);
  return i;
}

// Eight lanes through GCC's vector extensions: the default build does them as SSE pairs, the AVX2 clone as
// one register; no libm call, no branch. Scalar inputs go through the same code in lane 0.
typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));

inline v8f splat(float x) { return v8f{x, x, x, x, x, x, x, x}; }
inline v8f vmax(v8f a, v8f b) { return a > b ? a : b; }
inline v8f vmin(v8f a, v8f b) { return a < b ? a : b; }
inline v8f bits_f(v8i i) {
  v8f f;
  std::memcpy(&f, &i, sizeof f);
  return f;
}
inline v8i bits_i(v8f f) {
  v8i i;
  std::memcpy(&i, &f, sizeof i);
  return i;
}

// exp(x) for x in [-87, 88]: 2^n e^r, n = round(x / ln2) (magic-number rounding), |r| <= ln2/2, Cephes degree 6.
inline v8f vexp(v8f x) {
  x = vmin(vmax(x, splat(-87.f)), splat(88.f));
  const v8f fx = (x * 1.44269504088896341f + 12582912.f) - 12582912.f;
  x = x - fx * 0.693359375f + fx * 2.12194440e-4f;
  const v8f z = x * x;
  v8f y = splat(1.9875691500e-4f);
  y = y * x + 1.3981999507e-3f;
  y = y * x + 8.3334519073e-3f;
  y = y * x + 4.1665795894e-2f;
  y = y * x + 1.6666665459e-1f;
  y = y * x + 5.0000001201e-1f;
  y = y * z + x + 1.f;
  return y * bits_f((__builtin_convertvector(fx, v8i) + 127) << 23);
}

// log(x) for finite normal x > 0: mantissa in [sqrt(1/2), sqrt(2)), Cephes degree 8.
inline v8f vlog(v8f x) {
  const v8i i = bits_i(x);
  v8f e = __builtin_convertvector(((i >> 23) & 0xff) - 126, v8f);
  v8f m = bits_f((i & 0x007fffff) | 0x3f000000);  // [0.5, 1)
  const v8i small = m < 0.707106781186547524f;    // all ones where true
  e = e - bits_f(small & bits_i(splat(1.f)));
  m = m - 1.f + bits_f(small & bits_i(m));
  const v8f z = m * m;
  v8f y = splat(7.0376836292e-2f);
  y = y * m - 1.1514610310e-1f;
  y = y * m + 1.1676998740e-1f;
  y = y * m - 1.2420140846e-1f;
  y = y * m + 1.4249322787e-1f;
  y = y * m - 1.6668057665e-1f;
  y = y * m + 2.0000714765e-1f;
  y = y * m - 2.4999993993e-1f;
  y = y * m + 3.3333331174e-1f;
  y = y * m * z;
  y += e * -2.12194440e-4f;
  y -= 0.5f * z;
  return m + y + e * 0.693359375f;
}

// sqrt(x) for x > 0: x rsqrt(x), three Newton steps from the bit-level guess.
inline v8f vsqrt(v8f x) {
  v8f y = bits_f(0x5f3759df - (bits_i(x) >> 1));
  for (int i = 0; i < 3; ++i) y = y * (1.5f - 0.5f * x * y * y);
  return x * y;
}

// Normal CDF, Abramowitz-Stegun 26.2.17.
inline v8f vcnd(v8f d) {
  const v8f ad = bits_f(bits_i(d) & 0x7fffffff);
  const v8f k = 1.f / (1.f + 0.2316419f * ad);
  const v8f c = 0.39894228040143267794f * vexp(-0.5f * d * d) *
                (k * (0.31938153f + k * (-0.356563782f + k * (1.781477937f + k * (-1.821255978f + k * 1.330274429f)))));
  return bits_f((bits_i(1.f - c) & (d > 0)) | (bits_i(c) & ~(d > 0)));
}

inline void bs8(v8f s, v8f k, v8f t, v8f& call, v8f& put) {
  const float r = fin::kBsR, v = fin::kBsV;
  const v8f sq = vsqrt(t);
  const v8f d1 = (vlog(s / k) + (r + 0.5f * v * v) * t) / (v * sq);
  const v8f d2 = d1 - v * sq;
  const v8f df = vexp(-r * t);
  const v8f c1 = vcnd(d1), c2 = vcnd(d2);
  call = s * c1 - k * df * c2;
  put = k * df * (1.f - c2) - s * (1.f - c1);
}

FAST_CLONES inline void bs(const float* __restrict S, const float* __restrict K, const float* __restrict T, float* __restrict call,
                           float* __restrict put, int64_t i0, int64_t i1) {
  int64_t i = i0;
  for (; i + 8 <= i1; i += 8) {  // whole vectors: fixed-size copies compile to plain vector loads/stores
    v8f s, k, t, c, p;
    std::memcpy(&s, S + i, 32);
    std::memcpy(&k, K + i, 32);
    std::memcpy(&t, T + i, 32);
    bs8(s, k, t, c, p);
    std::memcpy(call + i, &c, 32);
    std::memcpy(put + i, &p, 32);
  }
  if (i < i1) {  // the tail, padded with harmless inputs
    const size_t m = 4 * static_cast<size_t>(i1 - i);
    v8f s = splat(1.f), k = splat(1.f), t = splat(1.f), c, p;
    std::memcpy(&s, S + i, m);
    std::memcpy(&k, K + i, m);
    std::memcpy(&t, T + i, m);
    bs8(s, k, t, c, p);
    std::memcpy(call + i, &c, m);
    std::memcpy(put + i, &p, m);
  }
}
}  // namespace fast
