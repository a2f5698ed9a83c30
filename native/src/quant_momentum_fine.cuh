// momentum, the fine-bucket form (GPUCTL_BENCH_VARIANTS=1, `fine*` in the result): four buckets per asset, so
// most values sit alone in their bucket and their rank is the bucket's start, with no member scatter and no loop.
// Only the values that share a bucket (the count phase's arrival slot, or the bucket's end, says so) are scattered
// and compared. The counts are 16-bit halves of the shared ints (16,384 buckets in 32 KB, an atomic adds 1 << 16 for
// an odd bucket; a count never exceeds the row's 4,096), and so are the starts after the scan. Each thread ranks its
// own 8 assets, so the ranks go out from registers. Same launch shape and shared memory (16 A bytes) as the result.
// The bucket maps are quant_momentum.cuh's (MAP kLinear, kSigma for wide rows) or kSigma for every row (kSigmaAll).
#pragma once
#include "quant_momentum.cuh"

namespace {
enum { kSigmaAll = 2 };
#pragma nv_diag_suppress 128
template <int MAP> __global__ __launch_bounds__(MT, 3) void momentum_fine_kernel(const float* __restrict__ p, float* __restrict__ roc,
                                                                               int* __restrict__ rank, int A, SegTable segs) {
  extern __shared__ int4 sm4[];  // counts, then starts, as 16-bit halves [2 A ints]; members (value bits, index) [A]
  constexpr int NW = MT / 32, NS = 4;
  const int NB = 4 * A, NG = NB / 8;  // buckets; int4 groups of 8 buckets
  int* h32 = reinterpret_cast<int*>(sm4);
  int2* mem = reinterpret_cast<int2*>(h32 + NB / 2);
  __shared__ float rmin[NW], rmax[NW], rsum[NW], rsq[NW];
  __shared__ int2 seg[16];
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
  for (int i = tid; i < NG; i += MT) sm4[i] = make_int4(0, 0, 0, 0);
  if (MAP != kLinear && tid < 16)
#pragma unroll
    for (int k = 0; k < 16; ++k)
      if (k == tid) seg[k] = segs.s[k];
  float mn = INFINITY, mx = -INFINITY, sum = 0.f, sq = 0.f;
#pragma unroll
  for (int q = 0; q < 8; ++q)
    if (act[q / 4]) mn = fminf(mn, r[q]), mx = fmaxf(mx, r[q]), sum += r[q], sq += r[q] * r[q];
  mn = warp_min(mn);
  mx = warp_max(mx);
  if (MAP != kLinear) sum = warp_sum(sum), sq = warp_sum(sq);
  if (lane == 0) rmin[warp] = mn, rmax[warp] = mx, rsum[warp] = sum, rsq[warp] = sq;
  __syncthreads();
  mn = warp_min(lane < NW ? rmin[lane] : INFINITY);
  mx = warp_max(lane < NW ? rmax[lane] : -INFINITY);
  if (MAP != kLinear) sum = warp_sum(lane < NW ? rsum[lane] : 0.f), sq = warp_sum(lane < NW ? rsq[lane] : 0.f);
  if (mx == mn) {  // all equal (the first 20 steps): ties broken by index
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int i0 = 4 * (tid + MT * h);
      if (act[h]) __stcs(reinterpret_cast<int4*>(rank + row + i0), make_int4(i0, i0 + 1, i0 + 2, i0 + 3));
    }
    return;
  }
  const float mu = sum * segs.invA, var = sq * segs.invA - mu * mu;
  const bool sigma = MAP != kLinear && NB >= 64 && var > 0.f && (MAP == kSigmaAll || (mx - mn) * (mx - mn) > kWide * kWide * var);
  int bs[8];  // bucket | arrival slot << 14 (NB <= 16384)
  auto count = [&](auto bucket) {
#pragma unroll
    for (int q = 0; q < 8; ++q) {
      const int b = bucket(r[q]), sh = (b & 1) << 4;
      bs[q] = act[q / 4] ? b | ((atomicAdd(&h32[b >> 1], 1 << sh) >> sh) & 0xffff) << 14 : 0;
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
  } else {
    const float scale = (float)NB / (mx - mn);
    count([&](float v) { return min(NB - 1, (int)(__fmul_rn(__fsub_rn(v, mn), scale))); });
  }
  __syncthreads();
  int tot[NS], incl[NS];
#pragma unroll
  for (int h = 0; h < NS; ++h) {
    const int g = tid + MT * h;
    const int4 hv = g < NG ? sm4[g] : make_int4(0, 0, 0, 0);
    const int s = hv.x + hv.y + hv.z + hv.w;  // no carry between the halves: a row holds at most 4,096 values
    tot[h] = (s & 0xffff) + (s >> 16);
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
      if (lane < NW) wsum[h][lane] = wi - ws;
      if (lane == 31) segtot[h] = wi;
    }
  }
  __syncthreads();
  int off = 0;
#pragma unroll
  for (int h = 0; h < NS; ++h) {
    const int g = tid + MT * h;
    if (g < NG) {
      const int4 hv = sm4[g];
      int st = off + wsum[h][warp] + incl[h] - tot[h];
      int w[4] = {hv.x, hv.y, hv.z, hv.w};
#pragma unroll
      for (int k = 0; k < 4; ++k) {  // word k: buckets 2k (low half) and 2k + 1 (high half)
        const int lo = st, hi = st + (w[k] & 0xffff);
        st = hi + (w[k] >> 16);
        w[k] = lo | hi << 16;
      }
      sm4[g] = make_int4(w[0], w[1], w[2], w[3]);
    }
    off += segtot[h];
  }
  __syncthreads();
  // A value's bucket [s, e): alone (e = s + 1) its rank is s; otherwise it is scattered at s + its arrival slot and
  // compared with the bucket's other members after the barrier.
  int rk[8];  // the bucket's start; bs becomes the end of what is to be compared (the start: nothing)
  bool any = false;
#pragma unroll
  for (int q = 0; q < 8; ++q) {
    const int b = bs[q] & 16383, w = h32[b >> 1];
    const int s = (b & 1) ? w >> 16 : w & 0xffff;
    const int e = (b & 1) ? (b + 1 < NB ? h32[(b >> 1) + 1] & 0xffff : A) : w >> 16;
    rk[q] = s;
    const bool shared = act[q / 4] && e - s > 1;
    if (shared) mem[s + (bs[q] >> 14)] = make_int2(__float_as_int(r[q]), 4 * (tid + MT * (q / 4)) + q % 4);
    bs[q] = shared ? e : s;
    any |= shared;
  }
  __syncthreads();
  if (any) {
#pragma unroll
    for (int q = 0; q < 8; ++q) {
      const int me = 4 * (tid + MT * (q / 4)) + q % 4, s = rk[q];
      int c = s;
      for (int j = s; j < bs[q]; ++j) {
        const int2 o = mem[j];
        const float vo = __int_as_float(o.x);
        c += (vo < r[q]) || (vo == r[q] && o.y < me);
      }
      rk[q] = c;
    }
  }
#pragma unroll
  for (int h = 0; h < 2; ++h)
    if (act[h])
      __stcs(reinterpret_cast<int4*>(rank + row + 4 * (tid + MT * h)), make_int4(rk[4 * h], rk[4 * h + 1], rk[4 * h + 2], rk[4 * h + 3]));
}
#pragma nv_diag_default 128
}  // namespace
