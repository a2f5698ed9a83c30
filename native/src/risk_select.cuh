// The per-portfolio order statistic of the risk kernels (VaR in finance_risk.cu, ES in risk_es.cu): P&L as
// order-preserving uint32 keys in shared memory, one block of 256 threads per portfolio, a 4-pass 8-bit radix
// select of the k-th smallest key.
#pragma once
#include <cstdint>

__device__ __forceinline__ uint32_t risk_key(float v) {
  const uint32_t u = __float_as_uint(v);
  return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}
__device__ __forceinline__ float risk_unkey(uint32_t key) { return __uint_as_float((key & 0x80000000u) ? (key & 0x7FFFFFFFu) : ~key); }

struct RiskSelectShared {
  uint32_t hist[256];
  uint32_t prefix, k;
};

// The key of the k-th smallest (0-based) of keys[0 .. S), returned to every thread. blockDim.x must be 256.
__device__ inline uint32_t risk_select(const uint32_t* keys, int S, uint32_t k, RiskSelectShared& sh) {
  uint32_t prefix = 0, mask = 0, kk = k;
  for (int shift = 24; shift >= 0; shift -= 8) {
    sh.hist[threadIdx.x] = 0;
    __syncthreads();
    for (int i = threadIdx.x; i < S; i += blockDim.x) {
      const uint32_t key = keys[i];
      if ((key & mask) == prefix) atomicAdd(&sh.hist[(key >> shift) & 255u], 1u);
    }
    __syncthreads();
    if (threadIdx.x < 32) {
      const int lane = threadIdx.x;
      uint32_t c[8], tot = 0;
#pragma unroll
      for (int j = 0; j < 8; ++j) {
        c[j] = sh.hist[lane * 8 + j];
        tot += c[j];
      }
      uint32_t incl = tot;
#pragma unroll
      for (int d = 1; d < 32; d <<= 1) {
        const uint32_t v = __shfl_up_sync(0xffffffffu, incl, d);
        if (lane >= d) incl += v;
      }
      const uint32_t excl = incl - tot;
      if (kk >= excl && kk < incl) {
        uint32_t run = excl;
#pragma unroll
        for (int j = 0; j < 8; ++j) {
          if (kk >= run && kk < run + c[j]) {
            sh.prefix = prefix | ((uint32_t)(lane * 8 + j) << shift);
            sh.k = kk - run;
          }
          run += c[j];
        }
      }
    }
    __syncthreads();
    prefix = sh.prefix;
    kk = sh.k;
    mask |= 255u << shift;
    __syncthreads();
  }
  return prefix;
}
