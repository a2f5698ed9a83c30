// Philox4x32-10 counter-based generator (Salmon et al., SC'11), written for host and device.
// Known-answer vectors from Random123's kat_vectors are checked by philox_self_test().
#pragma once
#include <cmath>
#include <cstdint>

#if defined(__CUDACC__)
#define GB_HD __host__ __device__ __forceinline__
#else
#define GB_HD inline
#endif

struct U32x4 {
  uint32_t x, y, z, w;
};

GB_HD uint32_t gb_mulhilo(uint32_t a, uint32_t b, uint32_t* hi) {
#if defined(__CUDA_ARCH__)
  *hi = __umulhi(a, b);
  return a * b;
#else
  uint64_t p = static_cast<uint64_t>(a) * b;
  *hi = static_cast<uint32_t>(p >> 32);
  return static_cast<uint32_t>(p);
#endif
}

GB_HD U32x4 philox4x32_10(U32x4 c, uint32_t k0, uint32_t k1) {
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
  for (int i = 0; i < 10; ++i) {
    uint32_t hi0, hi1;
    uint32_t lo0 = gb_mulhilo(0xD2511F53u, c.x, &hi0);
    uint32_t lo1 = gb_mulhilo(0xCD9E8D57u, c.z, &hi1);
    c = U32x4{hi1 ^ c.y ^ k0, lo1, hi0 ^ c.w ^ k1, lo0};
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return c;
}

// Uniform in (0, 1): 24 random bits, offset by half a step, so log() never sees 0.
GB_HD float u01f(uint32_t x) { return (static_cast<float>(x >> 8) + 0.5f) * (1.0f / 16777216.0f); }
GB_HD double u01d(uint32_t x) { return (static_cast<double>(x >> 8) + 0.5) * (1.0 / 16777216.0); }

// Box-Muller: two uniforms -> two standard normals (double, for host-side data and references).
inline void box_muller_d(uint32_t a, uint32_t b, double* z0, double* z1) {
  double r = std::sqrt(-2.0 * std::log(u01d(a)));
  double th = 6.283185307179586 * (u01d(b) - 0.5);
  *z0 = r * std::cos(th);
  *z1 = r * std::sin(th);
}

// Seeds -> key words. `stream` separates independent uses of one seed.
GB_HD uint32_t key0(uint64_t seed, uint32_t stream) { return static_cast<uint32_t>(seed) ^ (stream * 0x85EBCA6Bu); }
GB_HD uint32_t key1(uint64_t seed, uint32_t stream) { return static_cast<uint32_t>(seed >> 32) ^ (stream * 0xC2B2AE35u) ^ 0x1B873593u; }

bool philox_self_test();  // host, cpu_data.cpp
