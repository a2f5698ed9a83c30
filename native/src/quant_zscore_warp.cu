// The zscore warp-streaming forms (issue 21; definitions and checks in quant_host.hpp, shared device code in
// quant_zscore.cuh). The result's form (run_zscore's "dyn8") is the persistent grid below with 8 segments per series.
#include <algorithm>

#include "gpu.cuh"
#include "quant_zscore.cuh"

namespace {
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
    cp_async_commit();
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
    cp_async_wait<S - 2>();
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

// Items (series a, segment k) = item / nseg, item % nseg. Static: warp gw of the grid takes item gw (one wave of
// resident warps when A * nseg fits). DYN: a persistent grid whose warps take items from a queue (queue[0]: the
// next item; queue[1]: the warps done, the last of which resets both for the next launch), so that warps that go
// faster take more items and the run ends within about one item of work of its last warp.
template <int W, int S, bool DYN>
__global__ __launch_bounds__(32 * W, 32 / W) void zscore_warp_kernel(const float* __restrict__ p, float* __restrict__ z,
                                                                     int8_t* __restrict__ sig, int A, int T, int seglen, int nseg,
                                                                     int* __restrict__ queue) {
  static_assert(S >= 3 && (S & (S - 1)) == 0 && WIT4 % 8 == 0, "ring stages (the swizzle keeps a stage's 8-float4 rows)");
  __shared__ __align__(16) float4 ring[W][S * WIT4];
  const int lane = threadIdx.x & 31, wi = threadIdx.x >> 5, items = A * nseg;
  auto run = [&](int item) {
    const int a = item / nseg, s0 = (item % nseg) * seglen;
    const int64_t base = (int64_t)a * T;
    if (s0 < T) zscore_warp_segment<S>(p + base, z + base, sig + base, s0, min(T, s0 + seglen), T, ring[wi], lane);
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
}  // namespace

// Static: segments per series enough to fill the resident warp slots, one warp per item. DYN: nseg segments per
// series (at least as many as fill the slots), a grid of the resident blocks. Whole 256-step iterations. Both forms
// use 4 warps per block and a ring of 4 stages.
ZscoreWarpLaunch zscore_warp_plan(bool dyn, int A, int T, int nseg) {
  int dev = 0, sms = 0, per = 0;
  CK(cudaGetDevice(&dev));
  CK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev));
  if (dyn) CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per, zscore_warp_kernel<4, 4, true>, 128, 0));
  else CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per, zscore_warp_kernel<4, 4, false>, 128, 0));
  const int slots = sms * per * 4, maxseg = (T + WIT - 1) / WIT;
  nseg = std::max(1, std::min(maxseg, std::max(dyn ? nseg : 1, slots / A)));
  ZscoreWarpLaunch l;
  l.dyn = dyn;
  l.seglen = ((T + nseg - 1) / nseg + WIT - 1) / WIT * WIT;
  l.nseg = (T + l.seglen - 1) / l.seglen;
  l.blocks = dyn ? sms * per : (int)(((int64_t)A * l.nseg + 3) / 4);
  return l;
}

void zscore_warp_launch(const ZscoreWarpLaunch& l, const float* p, float* z, int8_t* s, int A, int T, int* queue, cudaStream_t st) {
  if (l.dyn) zscore_warp_kernel<4, 4, true><<<(unsigned)l.blocks, 128, 0, st>>>(p, z, s, A, T, l.seglen, l.nseg, queue);
  else zscore_warp_kernel<4, 4, false><<<(unsigned)l.blocks, 128, 0, st>>>(p, z, s, A, T, l.seglen, l.nseg, queue);
}
