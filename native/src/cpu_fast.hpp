// Vectorisable float32 CPU kernels for the latency requests (cpu_latency.cpp): Black-Scholes with polynomial
// exp/log (Cephes coefficients), sqrt by Newton steps, and the Abramowitz-Stegun normal CDF (|error| < 7.5e-8, as NVIDIA's
// sample), and a GEMV with independent accumulators. Pure arithmetic, no libm calls, so g++ -O3
// vectorises the loops; on x86-64 each is also built for AVX2+FMA and picked at load time (target_clones).
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

// exp(x) for x in [-87, 88]: 2^n e^r, |r| <= ln2/2, degree-6 polynomial.
inline float expf_(float x) {
  x = __builtin_fminf(__builtin_fmaxf(x, -87.f), 88.f);
  const float fx = __builtin_floorf(x * 1.44269504088896341f + 0.5f);
  x = x - fx * 0.693359375f + fx * 2.12194440e-4f;
  const float z = x * x;
  float y = 1.9875691500e-4f;
  y = y * x + 1.3981999507e-3f;
  y = y * x + 8.3334519073e-3f;
  y = y * x + 4.1665795894e-2f;
  y = y * x + 1.6666665459e-1f;
  y = y * x + 5.0000001201e-1f;
  y = y * z + x + 1.f;
  return y * as_float((static_cast<int32_t>(fx) + 127) << 23);
}

// log(x) for finite x > 0 (normal numbers).
inline float logf_(float x) {
  const int32_t i = as_int(x);
  float e = static_cast<float>(((i >> 23) & 0xff) - 126);
  float m = as_float((i & 0x007fffff) | 0x3f000000);  // [0.5, 1)
  const float small = static_cast<float>(m < 0.707106781186547524f);  // selects as arithmetic: no branch
  e -= small;
  m = m - 1.f + small * m;
  const float z = m * m;
  float y = 7.0376836292e-2f;
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

// sqrt(x) for x > 0: x rsqrt(x), three Newton steps from the bit-level guess (no libm call, no errno).
inline float sqrtf_(float x) {
  float y = as_float(0x5f3759df - (as_int(x) >> 1));
  for (int i = 0; i < 3; ++i) y = y * (1.5f - 0.5f * x * y * y);
  return x * y;
}

inline float cnd(float d) {
  const float a1 = 0.31938153f, a2 = -0.356563782f, a3 = 1.781477937f, a4 = -1.821255978f, a5 = 1.330274429f;
  const float ad = __builtin_fabsf(d);
  const float k = 1.f / (1.f + 0.2316419f * ad);
  const float c = 0.39894228040143267794f * expf_(-0.5f * d * d) * (k * (a1 + k * (a2 + k * (a3 + k * (a4 + k * a5)))));
  return c + static_cast<float>(d > 0) * (1.f - 2.f * c);
}

FAST_CLONES inline void bs(const float* __restrict S, const float* __restrict K, const float* __restrict T, float* __restrict call,
                           float* __restrict put, int64_t i0, int64_t i1) {
  const float r = fin::kBsR, v = fin::kBsV;
  for (int64_t i = i0; i < i1; ++i) {
    const float s = S[i], k = K[i], t = T[i];
    const float sq = sqrtf_(t);
    const float d1 = (logf_(s / k) + (r + 0.5f * v * v) * t) / (v * sq);
    const float d2 = d1 - v * sq;
    const float df = expf_(-r * t);
    const float c1 = cnd(d1), c2 = cnd(d2);
    call[i] = s * c1 - k * df * c2;
    put[i] = k * df * (1.f - c2) - s * (1.f - c1);
  }
}

// y[s] = sum_a R[s*A + a] x[a] for rows [s0, s1); A a multiple of 16.
FAST_CLONES inline void gemv(const float* __restrict R, const float* __restrict x, float* __restrict y, int64_t s0, int64_t s1, int64_t A) {
  for (int64_t s = s0; s < s1; ++s) {
    const float* row = R + s * A;
    float acc[16] = {};
    for (int64_t a = 0; a < A; a += 16)
      for (int j = 0; j < 16; ++j) acc[j] += row[a + j] * x[a + j];
    float t = 0;
    for (int j = 0; j < 16; ++j) t += acc[j];
    y[s] = t;
  }
}
}  // namespace fast
