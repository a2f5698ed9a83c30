// The zscore quant kernel (issue 21); definitions and checks in quant_host.hpp.
// One block per (series, 4096-step chunk), staged in shared memory with a 20-step halo (16-byte
// loads), as the window kernels: each thread makes z for groups of 8 steps from sums of p - c (c the
// group's first price, so float32 keeps the digits of the variance), stored with coalesced 16-byte
// stores. The signal's hysteresis is a "last setting" scan: the codes go through shared memory, each
// thread takes 16 consecutive ones, a warp shuffle scan and a scan over the 8 warp totals give it its
// incoming state, and the chunk's own incoming state comes from a look-back into the previous chunk
// (thread 0 recomputes z group by group, bit for bit, until it finds a setting: one or two groups).
// zscore_multi_kernel<2> gives a block two consecutive chunks: the second tile is copied by cp.async while the
// first is computed, and the second chunk's incoming state is the first one's outgoing state (one look-back per
// two chunks). zscore_warp_kernel (below) streams a whole series (or a segment) per warp with no block barrier.
// The result is the first launch shape of run_zscore; GPUCTL_BENCH_VARIANTS=1 also checks and times the others.
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <utility>

#include "check.hpp"
#include "fin_host.hpp"
#include "gpu.cuh"
#include "json.hpp"
#include "quant_host.hpp"
#include "suites.hpp"

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

// z for the block's 512 groups of 8 from the tile (steps c0-20 .. c0+4095): float4 stores of z, the setting codes
// to shared memory.
__device__ __forceinline__ void zscore_groups(const float* tile, int8_t* codes, float* __restrict__ zs, int c0, int T) {
  const float4* tile4 = reinterpret_cast<const float4*>(tile);
#pragma unroll 1
  for (int q = 0; q < 2; ++q) {
    const int g = threadIdx.x + ZT * q, t0 = c0 + 8 * g;
    if (t0 >= T) break;
    float w[28], zz[8];
#pragma unroll
    for (int r = 0; r < 7; ++r) {
      const float4 x = tile4[2 * g + r];
      w[4 * r] = x.x;
      w[4 * r + 1] = x.y;
      w[4 * r + 2] = x.z;
      w[4 * r + 3] = x.w;
    }
    zgroup_at(w, t0, zz);
    __stcs(reinterpret_cast<float4*>(zs + t0), make_float4(zz[0], zz[1], zz[2], zz[3]));
    __stcs(reinterpret_cast<float4*>(zs + t0 + 4), make_float4(zz[4], zz[5], zz[6], zz[7]));
    alignas(8) int8_t cd[8];
#pragma unroll
    for (int k = 0; k < 8; ++k) cd[k] = (int8_t)zcode(zz[k]);
    reinterpret_cast<int2*>(codes)[g] = *reinterpret_cast<const int2*>(cd);
  }
}

// The chunk's signal from its codes: each thread scans 16 consecutive codes, a warp shuffle scan and a scan over
// the 8 warp totals give its incoming state (carry: the chunk's). Returns the state after the thread's 16 steps.
// Reads carry before its barrier, so the caller may overwrite it after the next one.
__device__ __forceinline__ int zscore_scan(int8_t (&s8)[16], int* wtot, const int* carry, int8_t* __restrict__ ss, int c0, int T) {
  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5, t0 = c0 + 16 * tid;
  int last = 2;
#pragma unroll
  for (int k = 0; k < 16; ++k)
    if (s8[k] != 2) last = s8[k];
  // inclusive "last setting" scan over the block
  int v = last;
#pragma unroll
  for (int d = 1; d < 32; d <<= 1) {
    const int o = __shfl_up_sync(0xffffffffu, v, d);
    if (lane >= d && v == 2) v = o;
  }
  if (lane == 31) wtot[warp] = v;
  const int cin = *carry;
  __syncthreads();
  int ex = __shfl_up_sync(0xffffffffu, v, 1);
  if (lane == 0) ex = 2;
  for (int q = warp - 1; q >= 0 && ex == 2; --q) ex = wtot[q];
  if (ex == 2) ex = cin;
  int st = ex;
  if (t0 < T) {
#pragma unroll
    for (int k = 0; k < 16; ++k) {
      if (s8[k] != 2) st = s8[k];
      s8[k] = (int8_t)st;
    }
    __stcs(reinterpret_cast<int4*>(ss + t0), *reinterpret_cast<const int4*>(s8));
  }
  return st;
}
__device__ __forceinline__ int zscore_signal(const int8_t* codes, int* wtot, const int* carry, int8_t* __restrict__ ss, int c0, int T) {
  alignas(16) int8_t s8[16];
  *reinterpret_cast<int4*>(s8) = c0 + 16 * (int)threadIdx.x < T ? reinterpret_cast<const int4*>(codes)[threadIdx.x]
                                                                : make_int4(0x02020202, 0x02020202, 0x02020202, 0x02020202);
  return zscore_scan(s8, wtot, carry, ss, c0, T);
}

// One block per (4096-step chunk, series), as the window kernels: z in groups of 8 (thread g of 512 per
// chunk, float4 stores), the setting codes through shared memory, then each thread scans 16
// consecutive codes; the chunk's incoming state comes from thread 0's look-back into the previous chunk.
__global__ __launch_bounds__(ZT) void zscore_kernel(const float* __restrict__ p, float* __restrict__ z, int8_t* __restrict__ sig, int T) {
  __shared__ __align__(16) float tile[ZH + ZCH];
  __shared__ __align__(16) int8_t codes[ZCH];
  __shared__ int wtot[ZT / 32], s_carry;
  const int64_t base = (int64_t)blockIdx.y * T;
  const int c0 = blockIdx.x * ZCH, tid = threadIdx.x;
  const float* ps = p + base;
  float4* tile4 = reinterpret_cast<float4*>(tile);
  for (int v = tid; v < (ZH + ZCH) / 4; v += ZT) {
    const int t = c0 - ZH + 4 * v;
    float4 x = make_float4(0.f, 0.f, 0.f, 0.f);
    if (t >= 0 && t < T) x = __ldcs(reinterpret_cast<const float4*>(ps + t));
    tile4[v] = x;
  }
  __syncthreads();
  zscore_groups(tile, codes, z + base, c0, T);
  if (tid == 0) s_carry = zscore_lookback(ps, c0);  // after its own groups: the other warps need it only below
  __syncthreads();
  zscore_signal(codes, wtot, &s_carry, sig + base, c0, T);
}

// 16-byte global -> shared copy that completes asynchronously (cp.async, sm_80+); zero-filled when !ok.
__device__ __forceinline__ void cp_async16(void* dst, const void* src, bool ok) {
  const unsigned d = (unsigned)__cvta_generic_to_shared(dst);
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(d), "l"(src), "r"(ok ? 16 : 0));
}

// NCH consecutive chunks of one series per block: the next chunk's tile is copied by cp.async (double buffer)
// while this one is computed, and a chunk's incoming signal state is the previous chunk's outgoing one, so
// only the block's first chunk needs the look-back (by thread 0, while the first tile is in flight).
template <int NCH> __global__ __launch_bounds__(ZT) void zscore_multi_kernel(const float* __restrict__ p, float* __restrict__ z,
                                                                             int8_t* __restrict__ sig, int T) {
  __shared__ __align__(16) float tile[2][ZH + ZCH];
  __shared__ __align__(16) int8_t codes[ZCH];
  __shared__ int wtot[ZT / 32], s_carry[2];
  const int64_t base = (int64_t)blockIdx.y * T;
  const int cfirst = blockIdx.x * NCH * ZCH, tid = threadIdx.x;
  const float* ps = p + base;
  auto load = [&](int buf, int c0) {
    for (int v = tid; v < (ZH + ZCH) / 4; v += ZT) {
      const int t = c0 - ZH + 4 * v;
      const bool ok = t >= 0 && t < T;
      cp_async16(&tile[buf][4 * v], ok ? ps + t : ps, ok);
    }
    asm volatile("cp.async.commit_group;\n" ::);
  };
  load(0, cfirst);
  if (tid == 0) s_carry[0] = zscore_lookback(ps, cfirst);
#pragma unroll 1
  for (int i = 0; i < NCH; ++i) {
    const int c0 = cfirst + i * ZCH;
    if (c0 >= T) break;
    if (i + 1 < NCH && c0 + ZCH < T) {
      load((i + 1) & 1, c0 + ZCH);  // that buffer's last reader finished before the previous barrier
      asm volatile("cp.async.wait_group 1;\n" ::);
    } else {
      asm volatile("cp.async.wait_group 0;\n" ::);
    }
    __syncthreads();
    zscore_groups(tile[i & 1], codes, z + base, c0, T);
    __syncthreads();
    const int st = zscore_signal(codes, wtot, &s_carry[i & 1], sig + base, c0, T);
    if (tid == ZT - 1) s_carry[(i + 1) & 1] = st;
    __syncthreads();
  }
}

// One warp per (series, segment) streaming 256 steps per iteration (lane g: steps 8g .. 8g+7), no block barrier:
// the prices come through a per-warp ring of S stages of 256 steps in shared memory by cp.async, S - 2 iterations
// ahead, each stage's halo being the previous stage's end; z from the same zgroup (the same bits as the chunk
// kernels and the look-back); the codes stay in registers and the signal is a warp shuffle scan carried from
// iteration to iteration. A segment other than a series' first gets its incoming state by lane 0's look-back.
// The ring is swizzled (float4 slot f ^ bit 3 of f) so that lanes reading float4 2g + r are free of bank conflicts.
constexpr int WIT = 256, WIT4 = WIT / 4;  // steps per warp iteration, float4 per stage
template <int S> __device__ __forceinline__ int zring(int f) {
  f &= S * WIT4 - 1;
  return f ^ ((f >> 3) & 1);
}
// One segment [s0, s1) of a series (ps, zs, ss: its prices, z and signal) by one warp through its ring rg.
template <int S> __device__ __forceinline__ void zscore_warp_segment(const float* __restrict__ ps, float* __restrict__ zs,
                                                                     int8_t* __restrict__ ss, int s0, int s1, int T, float4* rg, int lane) {
  const int nit = (s1 - s0 + WIT - 1) / WIT;
  auto load = [&](int it) {  // iteration it's 64 float4 into stage it % S (zero past T), one commit group
    if (it < nit)
#pragma unroll
      for (int h = 0; h < 2; ++h) {
        const int f = lane + 32 * h, t = s0 + it * WIT + 4 * f;
        cp_async16(&rg[zring<S>(it * WIT4 + f)], t < T ? ps + t : ps, t < T);
      }
    asm volatile("cp.async.commit_group;\n" ::);
  };
  if (lane < ZH / 4) {  // the first iteration's halo: the 20 steps before s0 (zero before the series start)
    const int t = s0 - ZH + 4 * lane;
    cp_async16(&rg[zring<S>(lane - ZH / 4)], t >= 0 ? ps + t : ps, t >= 0);
  }
#pragma unroll
  for (int k = 0; k < S - 2; ++k) load(k);
  int carry = 0;
  if (s0 > 0) {
    int lb = 0;
    if (lane == 0) lb = zscore_lookback(ps, s0);
    carry = __shfl_sync(0xffffffffu, lb, 0);
  }
#pragma unroll 1
  for (int it = 0; it < nit; ++it) {
    load(it + S - 2);  // into stage (it - 2) % S: its last readers finished before the previous iteration's __syncwarp
    asm volatile("cp.async.wait_group %0;\n" ::"n"(S - 2));
    __syncwarp();
    const int t0 = s0 + it * WIT + 8 * lane;
    float w[28], zz[8];
#pragma unroll
    for (int r = 0; r < 7; ++r) {
      const float4 x = rg[zring<S>(it * WIT4 + 2 * lane - ZH / 4 + r)];
      w[4 * r] = x.x;
      w[4 * r + 1] = x.y;
      w[4 * r + 2] = x.z;
      w[4 * r + 3] = x.w;
    }
    zgroup_at(w, t0, zz);
    // pl: the last setting within the lane's steps up to each step (2: none yet), packed as bytes
    int pl = 2;
    unsigned pk[2] = {0u, 0u};
#pragma unroll
    for (int k = 0; k < 8; ++k) {
      const int cd = zcode(zz[k]);
      pl = cd != 2 ? cd : pl;
      pk[k / 4] |= (unsigned)(pl & 0xff) << (8 * (k % 4));
    }
    int v = pl;  // inclusive "last setting" scan over the warp
#pragma unroll
    for (int d = 1; d < 32; d <<= 1) {
      const int o = __shfl_up_sync(0xffffffffu, v, d);
      if (lane >= d && v == 2) v = o;
    }
    int st = __shfl_up_sync(0xffffffffu, v, 1);
    if (lane == 0 || st == 2) st = carry;  // the state entering the lane's first step (-1, 0 or 1)
    carry = __shfl_sync(0xffffffffu, pl != 2 ? pl : st, 31);
    // bytes still 2 (no setting yet in the lane) take the incoming state: byte == 2 iff bit 1 set and bit 0 clear
    const unsigned ib = (unsigned)(st & 0xff) * 0x01010101u;
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const unsigned mask = ((pk[h] >> 1) & ~pk[h] & 0x01010101u) * 0xffu;
      pk[h] = (pk[h] & ~mask) | (ib & mask);
    }
    if (t0 < s1) {
      __stcs(reinterpret_cast<uint2*>(ss + t0), make_uint2(pk[0], pk[1]));
      __stcs(reinterpret_cast<float4*>(zs + t0), make_float4(zz[0], zz[1], zz[2], zz[3]));
      __stcs(reinterpret_cast<float4*>(zs + t0 + 4), make_float4(zz[4], zz[5], zz[6], zz[7]));
    }
    __syncwarp();  // the next iteration's load overwrites the stage read here as the halo
  }
}

// LIN: the same with linear stages of 69 float4, [the 20 steps before the stage's 256 | the 256], the halo a second
// copy (an L2 hit) of the previous stage's end: a lane's 7 reads are one address plus constants (the swizzled ring
// spends ~50 instructions per iteration on addresses), 2-way bank conflicts accepted, and a stage is free as soon as
// its own iteration is done, so the copies run S - 1 iterations ahead.
constexpr int WST = ZH / 4 + WIT4;
template <int S> __device__ __forceinline__ void zscore_warp_segment_lin(const float* __restrict__ ps, float* __restrict__ zs,
                                                                         int8_t* __restrict__ ss, int s0, int s1, int T, float4* rg,
                                                                         int lane) {
  const int nit = (s1 - s0 + WIT - 1) / WIT;
  auto load = [&](int it) {  // iteration it's 20-step halo and 256 steps into stage it % S (zero outside 0 .. T-1)
    if (it < nit) {
      float4* st = rg + (it % S) * WST;
      const int t0 = s0 + it * WIT;
#pragma unroll
      for (int h = 0; h < 2; ++h) {
        const int f = lane + 32 * h, t = t0 + 4 * f;
        cp_async16(&st[ZH / 4 + f], t < T ? ps + t : ps, t < T);
      }
      if (lane < ZH / 4) {
        const int t = t0 - ZH + 4 * lane;
        cp_async16(&st[lane], t >= 0 ? ps + t : ps, t >= 0);
      }
    }
    asm volatile("cp.async.commit_group;\n" ::);
  };
#pragma unroll
  for (int k = 0; k < S - 1; ++k) load(k);
  int carry = 0;
  if (s0 > 0) {
    int lb = 0;
    if (lane == 0) lb = zscore_lookback(ps, s0);
    carry = __shfl_sync(0xffffffffu, lb, 0);
  }
#pragma unroll 1
  for (int it = 0; it < nit; ++it) {
    load(it + S - 1);  // into stage (it - 1) % S: its last readers finished before the previous iteration's __syncwarp
    asm volatile("cp.async.wait_group %0;\n" ::"n"(S - 1));
    __syncwarp();
    const int t0 = s0 + it * WIT + 8 * lane;
    float w[28], zz[8];
    const float4* rd = rg + (it % S) * WST + 2 * lane;
#pragma unroll
    for (int r = 0; r < 7; ++r) {
      const float4 x = rd[r];
      w[4 * r] = x.x;
      w[4 * r + 1] = x.y;
      w[4 * r + 2] = x.z;
      w[4 * r + 3] = x.w;
    }
    zgroup_at(w, t0, zz);
    // pl: the last setting within the lane's steps up to each step (2: none yet), packed as bytes
    int pl = 2;
    unsigned pk[2] = {0u, 0u};
#pragma unroll
    for (int k = 0; k < 8; ++k) {
      const int cd = zcode(zz[k]);
      pl = cd != 2 ? cd : pl;
      pk[k / 4] |= (unsigned)(pl & 0xff) << (8 * (k % 4));
    }
    int v = pl;  // inclusive "last setting" scan over the warp
#pragma unroll
    for (int d = 1; d < 32; d <<= 1) {
      const int o = __shfl_up_sync(0xffffffffu, v, d);
      if (lane >= d && v == 2) v = o;
    }
    int st = __shfl_up_sync(0xffffffffu, v, 1);
    if (lane == 0 || st == 2) st = carry;  // the state entering the lane's first step (-1, 0 or 1)
    carry = __shfl_sync(0xffffffffu, pl != 2 ? pl : st, 31);
    // bytes still 2 (no setting yet in the lane) take the incoming state: byte == 2 iff bit 1 set and bit 0 clear
    const unsigned ib = (unsigned)(st & 0xff) * 0x01010101u;
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const unsigned mask = ((pk[h] >> 1) & ~pk[h] & 0x01010101u) * 0xffu;
      pk[h] = (pk[h] & ~mask) | (ib & mask);
    }
    if (t0 < s1) {
      __stcs(reinterpret_cast<uint2*>(ss + t0), make_uint2(pk[0], pk[1]));
      __stcs(reinterpret_cast<float4*>(zs + t0), make_float4(zz[0], zz[1], zz[2], zz[3]));
      __stcs(reinterpret_cast<float4*>(zs + t0 + 4), make_float4(zz[4], zz[5], zz[6], zz[7]));
    }
    __syncwarp();  // the next iteration's load overwrites this stage
  }
}

// Items (series a, segment k) = item / nseg, item % nseg. Static: warp gw of the grid takes item gw (one wave of
// resident warps when A * nseg fits). DYN: a persistent grid whose warps take items from a queue (queue[0]: the
// next item; queue[1]: the warps done, the last of which resets both for the next launch), so that warps that go
// faster take more items and the run ends within about one item of work of its last warp.
template <int W, int S, bool DYN, bool LIN>
__global__ __launch_bounds__(32 * W, 32 / W) void zscore_warp_kernel(const float* __restrict__ p, float* __restrict__ z,
                                                                     int8_t* __restrict__ sig, int A, int T, int seglen, int nseg,
                                                                     int* __restrict__ queue) {
  static_assert(S >= 3 && (S & (S - 1)) == 0 && WIT4 % 8 == 0, "ring stages (the swizzle keeps a stage's 8-float4 rows)");
  __shared__ __align__(16) float4 ring[W][S * (LIN ? WST : WIT4)];
  const int lane = threadIdx.x & 31, wi = threadIdx.x >> 5, items = A * nseg;
  auto run = [&](int item) {
    const int a = item / nseg, s0 = (item % nseg) * seglen;
    const int64_t base = (int64_t)a * T;
    if (s0 >= T) return;
    if constexpr (LIN) zscore_warp_segment_lin<S>(p + base, z + base, sig + base, s0, min(T, s0 + seglen), T, ring[wi], lane);
    else zscore_warp_segment<S>(p + base, z + base, sig + base, s0, min(T, s0 + seglen), T, ring[wi], lane);
  };
  if constexpr (!DYN) {
    const int gw = blockIdx.x * W + wi;
    if (gw < items) run(gw);  // the whole warp: no block barrier anywhere
  } else {
    for (;;) {
      int item = 0;
      if (lane == 0) item = atomicAdd(queue, 1);
      item = __shfl_sync(0xffffffffu, item, 0);
      if (item >= items) break;
      run(item);
    }
    if (lane == 0 && atomicAdd(queue + 1, 1) == (int)(gridDim.x * W) - 1) {
      atomicExch(queue, 0);
      atomicExch(queue + 1, 0);
    }
  }
}

// A launch of the warp kernel. Static: segments per series enough to fill the resident warp slots. DYN: nseg
// segments per series (at least as many as fill the slots), a grid of the resident blocks. Whole 256-step iterations.
struct WarpLaunch {
  int nseg = 1, seglen = 0, blocks = 0;
};
template <int W, int S, bool DYN, bool LIN> WarpLaunch zscore_warp_plan(int A, int T, int nseg) {
  int dev = 0, sms = 0, per = 0;
  CK(cudaGetDevice(&dev));
  CK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev));
  CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per, zscore_warp_kernel<W, S, DYN, LIN>, 32 * W, 0));
  const int slots = sms * per * W, maxseg = (T + WIT - 1) / WIT;
  nseg = std::max(1, std::min(maxseg, std::max(DYN ? nseg : 1, slots / A)));
  WarpLaunch l;
  l.seglen = ((T + nseg - 1) / nseg + WIT - 1) / WIT * WIT;
  l.nseg = (T + l.seglen - 1) / l.seglen;
  l.blocks = DYN ? sms * per : (int)(((int64_t)A * l.nseg + W - 1) / W);
  return l;
}
template <int W, int S, bool DYN, bool LIN>
void launch_zscore_warp(const float* p, float* z, int8_t* s, int A, int T, const WarpLaunch& l, int* queue, cudaStream_t st) {
  zscore_warp_kernel<W, S, DYN, LIN><<<(unsigned)l.blocks, 32 * W, 0, st>>>(p, z, s, A, T, l.seglen, l.nseg, queue);
}

void run_zscore(GpuCtx& c, const KernelInfo& kd) {
  if (c.o.sz.steps % 16) return emit_skip(kd.suite, kd.name, "--size steps must be a multiple of 16");
  ZscoreCase zc;
  zc.make(c.o.sz.series, c.o.sz.steps, c.o.seed, stream_of(kd.name));
  const int64_t n = zc.A * zc.T;
  DevBuf<float> p, z(n);
  DevBuf<int8_t> s(n);
  to_dev(p, zc.p, c.s);
  // The launch shapes; the first is the result. GPUCTL_BENCH_VARIANTS=1 also checks and times the others (extra).
  const unsigned A = (unsigned)zc.A, T = (unsigned)zc.T;
  auto chunks = [&](int per) { return (T + per * ZCH - 1) / (per * ZCH); };
  DevBuf<int> queue(2);  // the DYN launches' item queue, reset by each launch's last warp
  CK(cudaMemsetAsync(queue.p, 0, queue.bytes(), c.s));
  const auto d8 = zscore_warp_plan<4, 4, true, true>((int)A, (int)T, 8), d4 = zscore_warp_plan<4, 4, true, true>((int)A, (int)T, 4);
  const auto w4 = zscore_warp_plan<4, 4, false, true>((int)A, (int)T, 1), r8 = zscore_warp_plan<4, 4, true, false>((int)A, (int)T, 8);
  const std::vector<std::pair<std::string, std::function<void()>>> shapes = {
      {"dyn8", [&] { launch_zscore_warp<4, 4, true, true>(p.p, z.p, s.p, (int)A, (int)T, d8, queue.p, c.s); }},
      {"dyn4", [&] { launch_zscore_warp<4, 4, true, true>(p.p, z.p, s.p, (int)A, (int)T, d4, queue.p, c.s); }},
      {"warp4", [&] { launch_zscore_warp<4, 4, false, true>(p.p, z.p, s.p, (int)A, (int)T, w4, queue.p, c.s); }},
      {"dyn8ring", [&] { launch_zscore_warp<4, 4, true, false>(p.p, z.p, s.p, (int)A, (int)T, r8, queue.p, c.s); }},
      {"multi2", [&] { zscore_multi_kernel<2><<<dim3(chunks(2), A), ZT, 0, c.s>>>(p.p, z.p, s.p, (int)T); }},
      {"chunk", [&] { zscore_kernel<<<dim3(chunks(1), A), ZT, 0, c.s>>>(p.p, z.p, s.p, (int)T); }},
  };
  std::vector<float> hz;
  std::vector<int8_t> hs;
  double mismatch = 0;
  auto checked = [&](const std::function<void()>& launch) {
    poison(z.p, z.bytes(), c.s);
    CK(cudaMemsetAsync(s.p, 0x7F, s.bytes(), c.s));  // 127: not a signal value (0xFF would read as -1)
    launch();
    CK_LAUNCH();
    to_host(hz, z, c.s);
    to_host(hs, s, c.s);
    return zc.check(hz.data(), hs.data(), &mismatch);
  };
  std::vector<std::pair<std::string, double>> extra;
  if (std::getenv("GPUCTL_BENCH_VARIANTS"))
    for (size_t i = 1; i < shapes.size(); ++i) {
      const Check ck = checked(shapes[i].second);
      extra.push_back({shapes[i].first + "Ms", median(time_events(c, shapes[i].second))});
      extra.push_back({shapes[i].first + "Passed", ck.passed ? 1.0 : 0.0});
    }
  const auto& f = shapes[0].second;
  const Check ck = checked(f);
  Result r = result_for(kd);
  r.check = ck;
  r.bytes = zc.bytes();
  fill_result(r, time_events(c, f), r.bytes, 1e9);
  const int64_t a1 = std::max<int64_t>(1, (int64_t)(zc.A * cpu_fraction(c.o)));
  r.cpu = time_cpu([&] { zc.cpu(a1, hz.data(), hs.data()); }, (double)a1 / zc.A, 1, 3);
  r.size = {{"series", (double)zc.A}, {"steps", (double)zc.T}};
  r.extra = {{"signalMismatchVsFloat64", mismatch}};
  r.extra.insert(r.extra.end(), extra.begin(), extra.end());
  r.note = "bytes = price read once + z (fp32) and signal (int8) written once";
  emit_result(r);
}

}  // namespace

void gpu_zscore(GpuCtx& c, const KernelInfo& k) { run_zscore(c, k); }
