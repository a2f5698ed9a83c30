// The momentum kernel and its bucket maps; the launcher, its forms and the checks are in quant_momentum.cu (whose
// header says how the kernel works), definitions in quant_host.hpp.
#pragma once
#include <cuda_runtime.h>

#include <cmath>
#include <cstdint>

#include "quant_host.hpp"

namespace {
constexpr int MT = 512, MI = 8;  // threads per step, assets per thread
__device__ __forceinline__ float warp_min(float v) {
  for (int o = 16; o; o >>= 1) v = fminf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}
__device__ __forceinline__ float warp_max(float v) {
  for (int o = 16; o; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}
__device__ __forceinline__ float warp_sum(float v) {
  for (int o = 16; o; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

enum { kByValue = 0, kByPosition = 1 };  // the rank forms (below)
// The bucket maps. kLinear: buckets of equal width between the row's min and max; one outlier (a jump in a price)
// squeezes the rest of the row into a few crowded buckets, and the rank loops over a bucket's members grow with
// them. kSigma: buckets of about equal expected occupancy for a normal row, from its mean and standard deviation:
// 16 segments of half a standard deviation over [-4, 4] (beyond them, the end buckets), each segment given buckets
// in proportion to the normal mass in it (at least one), linear inside it. Both maps are monotone in the value
// (each step a correctly rounded operation or a clamp, so a lower bucket holds only smaller values), which is all
// the rank needs; the occupancy only sets the speed.
enum { kLinear = 0, kSigma = 1 };
constexpr float kWide = 10.f;
struct SegTable {  // kSigma: each segment's first bucket and bucket count: k + (NB - 16) * Phi'(-4 + k / 2), Phi rescaled
  int2 s[16];      // to [0, 1] over [-4, 4]; computed on the host for the row's NB
  float invA;
};
SegTable seg_table(int nb) {
  const auto phi = [](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); };
  const auto first = [&](int k) {
    return k == 16 ? nb : k + (int)std::lround((nb - 16) * (phi(-4 + 0.5 * k) - phi(-4)) / (phi(4) - phi(-4)));
  };
  SegTable t{};
  t.invA = 1.f / (float)nb;
  for (int k = 0; k < 16; ++k) t.s[k] = make_int2(first(k), first(k + 1) - first(k));
  return t;
}
// Timing probes (GPUCTL_BENCH_VARIANTS=1, timed, not ranks): the kernel cut after a phase, its rank output the
// index (kProbeRoc) or the bucket start + arrival slot (kProbeCount, kProbeScatter), so the rank phase's share is
// measured rather than counted: roc and the stores alone; + min/max, counts, scan, start reads; + the member scatter.
enum { kProbeRoc = 3, kProbeCount = 4, kProbeScatter = 5 };

// A thread's assets are interleaved (asset 4 (tid + 512 h) + c: 16-byte loads and stores coalesced across the
// warp), and thread tid owns the 16-byte bucket groups tid + 512 h: the counts are read and the bucket starts
// written with 16-byte shared accesses free of bank conflicts (8 consecutive ints per thread, as before, are
// 8-way conflicts), the two segments h scanned side by side.
// FORM: kByPosition, the rank by position in the bucket-sorted members (below); kByValue, each thread its own 8
// assets; or a timing probe (above).
// The probes return after their phase, so the phases after it are unreachable in their instantiations (nvcc #128).
#pragma nv_diag_suppress 128
template <int FORM, int MAP> __global__ __launch_bounds__(MT, 3) void momentum_kernel(const float* __restrict__ p, float* __restrict__ roc,
                                                                                      int* __restrict__ rank, int A, SegTable segs) {
  extern __shared__ int4 sm4[];  // hist/starts [A], members [A] as (value bits, index | bucket << 13); kByPosition: ranks by asset [A]
  constexpr int NW = MT / 32, NS = 2;
  const int NB = A;
  int* hist = reinterpret_cast<int*>(sm4);
  int2* mem = reinterpret_cast<int2*>(hist + NB);
  __shared__ float rmin[NW], rmax[NW], rsum[NW], rsq[NW];
  __shared__ int2 seg[16];  // kSigma: a segment's first bucket and its bucket count
  __shared__ int wsum[NS][NW], segtot[NS];
  const int t = blockIdx.x, tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
  const int64_t row = (int64_t)t * A;
  float r[8];
  bool act[2];
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    const int i0 = 4 * (tid + MT * h);
    act[h] = i0 < A;
    float4 v = make_float4(0.f, 0.f, 0.f, 0.f);
    if (act[h] && t >= quant::kRocN) {
      const float4 cur = __ldg(reinterpret_cast<const float4*>(p + row + i0));
      const float4 prv = __ldg(reinterpret_cast<const float4*>(p + row - (int64_t)quant::kRocN * A + i0));
      v = make_float4(cur.x / prv.x - 1.f, cur.y / prv.y - 1.f, cur.z / prv.z - 1.f, cur.w / prv.w - 1.f);
    }
    if (act[h]) __stcs(reinterpret_cast<float4*>(roc + row + i0), v);
    r[4 * h] = v.x, r[4 * h + 1] = v.y, r[4 * h + 2] = v.z, r[4 * h + 3] = v.w;
  }
  if constexpr (FORM == kProbeRoc) {
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int i0 = 4 * (tid + MT * h);
      if (act[h]) __stcs(reinterpret_cast<int4*>(rank + row + i0), make_int4(i0, i0 + 1, i0 + 2, i0 + 3));
    }
    return;
  }
  for (int i = tid; i < NB / 4; i += MT) sm4[i] = make_int4(0, 0, 0, 0);
  if (MAP == kSigma && tid < 16)  // constant indices: a parameter indexed by tid would be copied to local memory
#pragma unroll
    for (int k = 0; k < 16; ++k)
      if (k == tid) seg[k] = segs.s[k];
  float mn = INFINITY, mx = -INFINITY, sum = 0.f, sq = 0.f;
#pragma unroll
  for (int q = 0; q < 8; ++q)
    if (act[q / 4]) mn = fminf(mn, r[q]), mx = fmaxf(mx, r[q]), sum += r[q], sq += r[q] * r[q];
  mn = warp_min(mn);
  mx = warp_max(mx);
  if (MAP == kSigma) sum = warp_sum(sum), sq = warp_sum(sq);
  if (lane == 0) rmin[warp] = mn, rmax[warp] = mx, rsum[warp] = sum, rsq[warp] = sq;
  __syncthreads();
  mn = warp_min(lane < NW ? rmin[lane] : INFINITY);
  mx = warp_max(lane < NW ? rmax[lane] : -INFINITY);
  if (MAP == kSigma) sum = warp_sum(lane < NW ? rsum[lane] : 0.f), sq = warp_sum(lane < NW ? rsq[lane] : 0.f);
  if (mx == mn) {  // all equal (the first 20 steps): ties broken by index
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int i0 = 4 * (tid + MT * h);
      if (act[h]) __stcs(reinterpret_cast<int4*>(rank + row + i0), make_int4(i0, i0 + 1, i0 + 2, i0 + 3));
    }
    return;
  }
  const float scale = (float)NB / (mx - mn);
  // kSigma's mean and standard deviation (every thread reduces the same partial sums in the same order, so all
  // agree). kSigma costs ~17 instructions a value, so only a row with outliers takes it: one wider than kWide
  // deviations (a normal row of 4,096 spans ~7); a row whose deviation reads 0 or not finite, or fewer than 64
  // assets, keeps kLinear.
  // Reciprocal and square root in their fast forms: the map needs only to be the same in every thread.
  const float mu = sum * segs.invA, var = sq * segs.invA - mu * mu;
  const bool sigma = MAP == kSigma && NB >= 64 && var > 0.f && (mx - mn) * (mx - mn) > kWide * kWide * var;
  // A value's bucket is computed once, here, and carried with it (bs; the scatter packs it into the member's index
  // word), so the phases cannot disagree on it. The map is chosen once per row, outside the loop, so a linear row
  // does not execute the sigma map's instructions under a predicate.
  int bs[8];  // bucket | slot << 13 (NB <= 8192, slot < 4096)
  auto count = [&](auto bucket) {
#pragma unroll
    for (int q = 0; q < 8; ++q) {
      const int b = bucket(r[q]);
      bs[q] = act[q / 4] ? b | atomicAdd(&hist[b], 1) << 13 : 0;
    }
  };
  if (sigma) {
    const float rs = rsqrtf(var), inv2s = 2.f * rs, halfsd = 0.5f * var * rs;
    count([&](float v) {
      const int s = min(15, max(0, __float2int_rd(__fadd_rn(__fmul_rn(__fsub_rn(v, mu), inv2s), 8.f))));
      const int2 g = seg[s];
      const float lo = __fadd_rn(mu, __fmul_rn((float)(s - 8), halfsd));
      const int k = __float2int_rz(__fmul_rn(__fsub_rn(v, lo), __fmul_rn((float)g.y, inv2s)));
      return g.x + min(g.y - 1, max(0, k));
    });
  } else count([&](float v) { return min(NB - 1, (int)(__fmul_rn(__fsub_rn(v, mn), scale))); });
  __syncthreads();
  int tot[NS], incl[NS];
#pragma unroll
  for (int h = 0; h < NS; ++h) {
    const int4 hv = 4 * (tid + MT * h) < NB ? sm4[tid + MT * h] : make_int4(0, 0, 0, 0);
    tot[h] = hv.x + hv.y + hv.z + hv.w;
    incl[h] = tot[h];
  }
  for (int d = 1; d < 32; d <<= 1)
#pragma unroll
    for (int h = 0; h < NS; ++h) {
      const int o = __shfl_up_sync(0xffffffffu, incl[h], d);
      if (lane >= d) incl[h] += o;
    }
  if (lane == 31)
#pragma unroll
    for (int h = 0; h < NS; ++h) wsum[h][warp] = incl[h];
  __syncthreads();
  if (warp == 0) {
#pragma unroll
    for (int h = 0; h < NS; ++h) {
      const int ws = lane < NW ? wsum[h][lane] : 0;
      int wi = ws;
      for (int d = 1; d < 32; d <<= 1) {
        const int o = __shfl_up_sync(0xffffffffu, wi, d);
        if (lane >= d) wi += o;
      }
      if (lane < NW) wsum[h][lane] = wi - ws;  // exclusive
      if (lane == 31) segtot[h] = wi;
    }
  }
  __syncthreads();
  int off = 0;
#pragma unroll
  for (int h = 0; h < NS; ++h) {
    if (4 * (tid + MT * h) < NB) {
      const int4 hv = sm4[tid + MT * h];  // read again rather than held in registers over the scan
      int4 st;
      st.x = off + wsum[h][warp] + incl[h] - tot[h];
      st.y = st.x + hv.x;
      st.z = st.y + hv.y;
      st.w = st.z + hv.z;
      sm4[tid + MT * h] = st;
    }
    off += segtot[h];
  }
  __syncthreads();
  if constexpr (FORM == kProbeCount || FORM == kProbeScatter) {
    int rk[8];
#pragma unroll
    for (int q = 0; q < 8; ++q) {
      rk[q] = hist[bs[q] & 8191] + (bs[q] >> 13);
      if (FORM == kProbeScatter && act[q / 4]) mem[rk[q]] = make_int2(__float_as_int(r[q]), 4 * (tid + MT * (q / 4)) + q % 4);
    }
    if (FORM == kProbeScatter) __syncthreads();
#pragma unroll
    for (int h = 0; h < 2; ++h)
      if (act[h])
        __stcs(reinterpret_cast<int4*>(rank + row + 4 * (tid + MT * h)), make_int4(rk[4 * h], rk[4 * h + 1], rk[4 * h + 2], rk[4 * h + 3]));
    return;
  }
#pragma unroll
  for (int q = 0; q < 8; ++q)
    if (act[q / 4])
      mem[hist[bs[q] & 8191] + (bs[q] >> 13)] = make_int2(__float_as_int(r[q]), (4 * (tid + MT * (q / 4)) + q % 4) | (bs[q] & 8191) << 13);
  __syncthreads();
  if constexpr (FORM == kByPosition) {
    // Thread tid takes the members at positions tid + 512 k: a warp's lanes hold consecutive positions of the
    // bucket-sorted array, so they share a few neighbouring buckets: their start/end reads and their loops over
    // the bucket's members hit a few adjacent addresses (near-broadcasts) instead of 32 random ones. The rank goes
    // to a per-asset array in shared memory, then out with 16-byte coalesced stores.
    int* rks = reinterpret_cast<int*>(mem + A);
#pragma unroll
    for (int k = 0; k < 8; ++k) {
      const int pos = tid + MT * k;
      if (pos >= A) break;
      const int2 m = mem[pos];
      const float v = __int_as_float(m.x);
      const int b = m.y >> 13, s = hist[b], e = b + 1 < NB ? hist[b + 1] : A;
      int c = s;
      for (int j = s; j < e; ++j) {
        const int2 o = mem[j];
        const float vo = __int_as_float(o.x);
        c += (vo < v) || (vo == v && o.y < m.y);
      }
      rks[m.y & 8191] = c;
    }
    __syncthreads();
#pragma unroll
    for (int h = 0; h < 2; ++h)
      if (act[h]) __stcs(reinterpret_cast<int4*>(rank + row + 4 * (tid + MT * h)), reinterpret_cast<const int4*>(rks)[tid + MT * h]);
  } else {
    int rk[8];
#pragma unroll
    for (int q = 0; q < 8; ++q) {
      rk[q] = 0;
      if (!act[q / 4]) continue;
      const int bq = bs[q] & 8191, s = hist[bq], e = bq + 1 < NB ? hist[bq + 1] : A, me = 4 * (tid + MT * (q / 4)) + q % 4;
      int c = s;
      for (int j = s; j < e; ++j) {
        const int2 m = mem[j];
        const float vm = __int_as_float(m.x);
        c += (vm < r[q]) || (vm == r[q] && m.y < (me | bq << 13));
      }
      rk[q] = c;
    }
#pragma unroll
    for (int h = 0; h < 2; ++h)
      if (act[h])
        __stcs(reinterpret_cast<int4*>(rank + row + 4 * (tid + MT * h)), make_int4(rk[4 * h], rk[4 * h + 1], rk[4 * h + 2], rk[4 * h + 3]));
  }
}

#pragma nv_diag_default 128
}  // namespace
