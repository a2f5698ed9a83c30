// The zscore quant kernel (issue 21); definitions and checks in quant_host.hpp, the device code the forms share in
// quant_zscore.cuh. z for groups of 8 steps from sums of p - c (c the group's first price, so float32 keeps the
// digits of the variance); the signal's hysteresis is a "last setting" scan whose incoming state, where a block or
// warp starts inside a series, comes from a look-back into the steps before (lane/thread 0 recomputes z group by
// group, bit for bit, until it finds a setting: one or two groups). Launch forms (run_zscore; the first is the
// result, GPUCTL_BENCH_VARIANTS=1 also checks and times the others):
//  * dyn8 (quant_zscore_warp.cu): one warp streams one (series, segment) item at a time, 256 steps per iteration
//    through a cp.async ring, no block barrier; a persistent grid takes the items (8 segments per series) from a queue.
//  * warp4: the same kernel, one warp per series in one wave (no queue).
//  * chunk: one block per (series, 4096-step chunk), as the window kernels, the tile staged in shared memory with a
//    20-step halo, the codes through shared memory, each thread scanning 16 of them.
//  * multi2: a block takes two consecutive chunks, the second tile copied by cp.async while the first is computed.
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
#include "quant_zscore.cuh"
#include "suites.hpp"

namespace {
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
    cp_async_commit();
  };
  load(0, cfirst);
  if (tid == 0) s_carry[0] = zscore_lookback(ps, cfirst);
#pragma unroll 1
  for (int i = 0; i < NCH; ++i) {
    const int c0 = cfirst + i * ZCH;
    if (c0 >= T) break;
    if (i + 1 < NCH && c0 + ZCH < T) {
      load((i + 1) & 1, c0 + ZCH);  // that buffer's last reader finished before the previous barrier
      cp_async_wait<1>();
    } else {
      cp_async_wait<0>();
    }
    __syncthreads();
    zscore_groups(tile[i & 1], codes, z + base, c0, T);
    __syncthreads();
    const int st = zscore_signal(codes, wtot, &s_carry[i & 1], sig + base, c0, T);
    if (tid == ZT - 1) s_carry[(i + 1) & 1] = st;
    __syncthreads();
  }
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
  const auto d8 = zscore_warp_plan(true, (int)A, (int)T, 8), w4 = zscore_warp_plan(false, (int)A, (int)T, 1);
  const std::vector<std::pair<std::string, std::function<void()>>> shapes = {
      {"dyn8", [&] { zscore_warp_launch(d8, p.p, z.p, s.p, (int)A, (int)T, queue.p, c.s); }},
      {"warp4", [&] { zscore_warp_launch(w4, p.p, z.p, s.p, (int)A, (int)T, queue.p, c.s); }},
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