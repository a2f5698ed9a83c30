// Device helpers shared by the zscore kernels (quant_zscore.cu: the block forms and the launcher; quant_zscore_warp.cu:
// the warp-streaming forms), and the warp forms' launch interface. Definitions and checks in quant_host.hpp.
#pragma once
#include <cuda_runtime.h>

#include <cstdint>

#include "quant_host.hpp"

// The warp-streaming forms (quant_zscore_warp.cu): dyn = a persistent grid taking (series, segment) items from
// queue (2 ints, zero before the first launch; each launch leaves them zero), else one warp per item in one wave.
struct ZscoreWarpLaunch {
  bool dyn = false;
  int nseg = 1, seglen = 0, blocks = 0;
};
ZscoreWarpLaunch zscore_warp_plan(bool dyn, int A, int T, int nseg);
void zscore_warp_launch(const ZscoreWarpLaunch& l, const float* p, float* z, int8_t* s, int A, int T, int* queue, cudaStream_t st);

namespace {
using quant::kZGroup;
constexpr int ZT = 256, ZCH = 4096, ZH = 20;
static_assert(ZH >= quant::kZN && ZH % 4 == 0 && kZGroup == 8 && ZCH == ZT * 16, "zscore tile");

// The hysteresis code of one z: -1 / +1 / 0 set the state, 2 keeps it. Selects, no branches.
__device__ __forceinline__ int zcode(float z) {
  int cd = fabsf(z) < quant::kZExit ? 0 : 2;
  cd = z < -quant::kZEntry ? 1 : cd;
  return z > quant::kZEntry ? -1 : cd;
}

// z for steps t0 .. t0+7 from w[j] = p[t0 - 20 + j] (0 before the series start; MASK: t0 < 20). Explicitly rounded
// operations only (__fadd_rn, __fmaf_rn, ...: no contraction left to the compiler) and the same instruction sequence
// wherever it is called, so the kernel that makes these z and another block's or warp's look-back get the same bits.
// Sums of y = p - c (c = w[20], the group's first price, so float32 keeps the digits of the variance): the window
// before step t0 by 19 terms (y = 0 at w[20]), then slid by one step at a time (s2 by two FMAs); var = s2/N - m^2
// by one FMA; 1/sd by rsqrt.approx.ftz (one MUFU.RSQ; rsqrtf adds a denormal fix-up that a variance of at least
// FLT_MIN, the condition for z != 0, never needs).
__device__ __forceinline__ float rsqrt_ftz(float x) {
  float r;
  asm("rsqrt.approx.ftz.f32 %0, %1;" : "=f"(r) : "f"(x));
  return r;
}
template <bool MASK> __device__ __forceinline__ void zgroup(const float (&w)[28], int t0, float (&zz)[8]) {
  constexpr int N = quant::kZN;
  const float c = w[20];
  float s1 = 0.f, s2 = 0.f;
#pragma unroll
  for (int j = 1; j < 20; ++j) {
    const float y = (!MASK || t0 - 20 + j >= 0) ? __fsub_rn(w[j], c) : 0.f;
    s1 = __fadd_rn(s1, y);
    s2 = __fmaf_rn(y, y, s2);
  }
#pragma unroll
  for (int k = 0; k < 8; ++k) {
    const float yn = __fsub_rn(w[20 + k], c);
    if (k > 0) {
      const float yo = (!MASK || t0 + k - 20 >= 0) ? __fsub_rn(w[k], c) : 0.f;
      s1 = __fsub_rn(__fadd_rn(s1, yn), yo);
      s2 = __fmaf_rn(-yo, yo, __fmaf_rn(yn, yn, s2));
    }
    const float m = __fmul_rn(s1, 1.0f / N), var = __fmaf_rn(s2, 1.0f / N, -__fmul_rn(m, m));
    zz[k] = ((!MASK || t0 + k >= N - 1) && var >= 1.17549435e-38f) ? __fmul_rn(__fsub_rn(yn, m), rsqrt_ftz(var)) : 0.f;
  }
}
__device__ __forceinline__ void zgroup_at(const float (&w)[28], int t0, float (&zz)[8]) {
  if (t0 >= 20) zgroup<false>(w, t0, zz);
  else zgroup<true>(w, t0, zz);
}

// The state entering step c0: the last setting before it (0 when none). Walks back group by group from
// global memory; a setting comes every few steps (|z| < 0.5 is one), and z = 0 (a setting) for t < 19.
__device__ int zscore_lookback(const float* __restrict__ ps, int c0) {
  for (int t0 = c0 - 8; t0 >= 0; t0 -= 8) {
    float w[28], zz[8];
#pragma unroll
    for (int r = 0; r < 7; ++r) {
      const int t = t0 - 20 + 4 * r;
      const float4 x = t >= 0 ? __ldg(reinterpret_cast<const float4*>(ps + t)) : make_float4(0.f, 0.f, 0.f, 0.f);
      w[4 * r] = x.x;
      w[4 * r + 1] = x.y;
      w[4 * r + 2] = x.z;
      w[4 * r + 3] = x.w;
    }
    zgroup_at(w, t0, zz);
#pragma unroll
    for (int k = 7; k >= 0; --k) {
      const int cd = zcode(zz[k]);
      if (cd != 2) return cd;
    }
  }
  return 0;
}

// 16-byte global -> shared copy that completes asynchronously (cp.async, sm_80+); zero-filled when !ok. Groups:
// cp_async_commit() closes one, cp_async_wait<N>() waits until at most N are pending (the calling thread's copies;
// a barrier then shows them to the others). Compiled for sm_75 (the fat build's oldest), a plain copy, complete at
// once, and the group calls do nothing.
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 800
__device__ __forceinline__ void cp_async16(void* dst, const void* src, bool ok) {
  const unsigned d = (unsigned)__cvta_generic_to_shared(dst);
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(d), "l"(src), "r"(ok ? 16 : 0));
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int N> __device__ __forceinline__ void cp_async_wait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N)); }
#else
__device__ __forceinline__ void cp_async16(void* dst, const void* src, bool ok) {
  *static_cast<float4*>(dst) = ok ? *static_cast<const float4*>(src) : make_float4(0.f, 0.f, 0.f, 0.f);
}
__device__ __forceinline__ void cp_async_commit() {}
template <int N> __device__ __forceinline__ void cp_async_wait() {}
#endif
}  // namespace
