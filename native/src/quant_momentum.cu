// The momentum quant kernel (issue 21); definitions and checks in quant_host.hpp.
// One block (512 threads, 8 assets each) per step of a time-major panel. roc from 16-byte
// loads of p[t] and p[t-20] (L2 hit: that row was read 20 blocks earlier); the cross-sectional rank by
// a bucket sort in shared memory: buckets by value between the row's min and max (a monotone map, so a
// lower bucket holds only smaller values), counts by shared atomics, a block scan for the bucket starts,
// then the rank of each member within its bucket by counting the bucket's smaller members. The result's form
// (byPosition) gives each thread the bucket-sorted members at positions tid + 512 k, so a warp's lanes share a
// few neighbouring buckets (near-broadcast reads), and writes the ranks out through a per-asset array; byValue
// (GPUCTL_BENCH_VARIANTS=1) has each thread rank its own 8 assets, 32 random buckets per warp.
// The bounds are the shared-memory pipe and the issue rate (ncu, byPosition: L1/shared 80%, SM 75%, DRAM 34%),
// not device memory: docs/benchmarks.md counts its traffic, lists what was tried, and gives the timing probes'
// split (roc and stores alone 0.209 ms, 92% of the copy ceiling; + the bucket counts and scan 0.261 ms, already
// below 80%; + the member scatter 0.289 ms; the whole rank 0.483 ms).
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "check.hpp"
#include "fin_host.hpp"
#include "gpu.cuh"
#include "json.hpp"
#include "quant_host.hpp"
#include "suites.hpp"

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

enum { kByValue = 0, kByPosition = 1 };  // the rank forms (below)
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
template <int FORM> __global__ __launch_bounds__(MT, 3) void momentum_kernel(const float* __restrict__ p, float* __restrict__ roc,
                                                                             int* __restrict__ rank, int A) {
  extern __shared__ int4 sm4[];  // hist/starts [A], members [A] as (value bits, index); kByPosition: ranks by asset [A]
  constexpr int NW = MT / 32, NS = 2;
  const int NB = A;
  int* hist = reinterpret_cast<int*>(sm4);
  int2* mem = reinterpret_cast<int2*>(hist + NB);
  __shared__ float rmin[NW], rmax[NW];
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
  float mn = INFINITY, mx = -INFINITY;
#pragma unroll
  for (int q = 0; q < 8; ++q)
    if (act[q / 4]) mn = fminf(mn, r[q]), mx = fmaxf(mx, r[q]);
  mn = warp_min(mn);
  mx = warp_max(mx);
  if (lane == 0) rmin[warp] = mn, rmax[warp] = mx;
  __syncthreads();
  mn = warp_min(lane < NW ? rmin[lane] : INFINITY);
  mx = warp_max(lane < NW ? rmax[lane] : -INFINITY);
  if (mx == mn) {  // all equal (the first 20 steps): ties broken by index
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int i0 = 4 * (tid + MT * h);
      if (act[h]) __stcs(reinterpret_cast<int4*>(rank + row + i0), make_int4(i0, i0 + 1, i0 + 2, i0 + 3));
    }
    return;
  }
  const float scale = (float)NB / (mx - mn);
  auto bucket = [&](float v) { return min(NB - 1, (int)((v - mn) * scale)); };
  int bs[8];  // bucket | slot << 13: the map is evaluated once per value (NB <= 8192, slot < 4096)
#pragma unroll
  for (int q = 0; q < 8; ++q) {
    const int b = bucket(r[q]);
    bs[q] = act[q / 4] ? b | atomicAdd(&hist[b], 1) << 13 : 0;
  }
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
    if (act[q / 4]) mem[hist[bs[q] & 8191] + (bs[q] >> 13)] = make_int2(__float_as_int(r[q]), 4 * (tid + MT * (q / 4)) + q % 4);
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
      const int b = bucket(v), s = hist[b], e = b + 1 < NB ? hist[b + 1] : A;
      int c = s;
      for (int j = s; j < e; ++j) {
        const int2 o = mem[j];
        const float vo = __int_as_float(o.x);
        c += (vo < v) || (vo == v && o.y < m.y);
      }
      rks[m.y] = c;
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
        c += (vm < r[q]) || (vm == r[q] && m.y < me);
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

void run_momentum(GpuCtx& c, const KernelInfo& kd) {
  const int64_t A = c.o.sz.series, T = c.o.sz.steps;
  if (A % MI || A > MI * MT) return emit_skip(kd.suite, kd.name, "--size series (the assets) must be a multiple of 8, at most 4096");
  MomentumCase mc;
  mc.make(A, T, c.o.seed, stream_of(kd.name));
  const int64_t n = A * T;
  DevBuf<float> p, roc(n);
  DevBuf<int> rank(n);
  to_dev(p, mc.p, c.s);
  // The launch forms; the first is the result. GPUCTL_BENCH_VARIANTS=1 also checks and times the others (extra).
  const size_t smem = 12 * (size_t)A, smemPos = 16 * (size_t)A;  // over 48 KB with the static arrays: always opt in
  CK(cudaFuncSetAttribute(momentum_kernel<kByValue>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem));
  CK(cudaFuncSetAttribute(momentum_kernel<kByPosition>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smemPos));
  CK(cudaFuncSetAttribute(momentum_kernel<kProbeRoc>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smemPos));
  CK(cudaFuncSetAttribute(momentum_kernel<kProbeCount>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smemPos));
  CK(cudaFuncSetAttribute(momentum_kernel<kProbeScatter>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smemPos));
  const std::vector<std::pair<std::string, std::function<void()>>> forms = {
      {"byPosition", [&] { momentum_kernel<kByPosition><<<(unsigned)T, MT, smemPos, c.s>>>(p.p, roc.p, rank.p, (int)A); }},
      {"byValue", [&] { momentum_kernel<kByValue><<<(unsigned)T, MT, smem, c.s>>>(p.p, roc.p, rank.p, (int)A); }},
  };
  const std::vector<std::pair<std::string, std::function<void()>>> probes = {
      {"probeRoc", [&] { momentum_kernel<kProbeRoc><<<(unsigned)T, MT, smemPos, c.s>>>(p.p, roc.p, rank.p, (int)A); }},
      {"probeCount", [&] { momentum_kernel<kProbeCount><<<(unsigned)T, MT, smemPos, c.s>>>(p.p, roc.p, rank.p, (int)A); }},
      {"probeScatter", [&] { momentum_kernel<kProbeScatter><<<(unsigned)T, MT, smemPos, c.s>>>(p.p, roc.p, rank.p, (int)A); }},
  };
  std::vector<float> hr;
  std::vector<int> hk;
  double mismatch = 0;
  auto checked = [&](const std::function<void()>& launch) {
    poison(roc.p, roc.bytes(), c.s);
    poison(rank.p, rank.bytes(), c.s);  // -1: not a rank
    launch();
    CK_LAUNCH();
    to_host(hr, roc, c.s);
    to_host(hk, rank, c.s);
    return mc.check(hr.data(), hk.data(), &mismatch);
  };
  std::vector<std::pair<std::string, double>> extra;
  if (std::getenv("GPUCTL_BENCH_VARIANTS"))
    for (size_t i = 1; i < forms.size(); ++i) {
      const Check ck = checked(forms[i].second);
      extra.push_back({forms[i].first + "Ms", median(time_events(c, forms[i].second))});
      extra.push_back({forms[i].first + "Passed", ck.passed ? 1.0 : 0.0});
    }
  if (std::getenv("GPUCTL_BENCH_VARIANTS"))
    for (const auto& [name, launch] : probes) {
      launch();
      CK_LAUNCH();
      extra.push_back({name + "Ms", median(time_events(c, launch))});
    }
  const auto& f = forms[0].second;
  const Check ck = checked(f);
  Result r = result_for(kd);
  r.check = ck;
  r.bytes = mc.bytes();
  fill_result(r, time_events(c, f), r.bytes, 1e9);
  const int64_t t1 = std::max<int64_t>(1, (int64_t)(T * cpu_fraction(c.o)));
  r.cpu = time_cpu([&] { mc.cpu(t1, hr.data(), hk.data()); }, (double)t1 / T, 1, 3);
  r.size = {{"series", (double)A}, {"steps", (double)T}};
  r.extra = {{"rankMismatchVsFloat64", mismatch}};
  r.extra.insert(r.extra.end(), extra.begin(), extra.end());
  r.note = "bytes = price read once + roc (fp32) and rank (int32) written once; rank by an in-block bucket sort";
  emit_result(r);
}
}  // namespace

void gpu_momentum(GpuCtx& c, const KernelInfo& k) { run_momentum(c, k); }
