// Latency suite, the 1-asset indicator request as one kernel (issue 21, the GPU latency tail): SMA(20),
// EMA(20), Bollinger(20,2) and RSI(14) of one 1,024-step series in one block of 256 threads, 4 steps each.
// The request's input is read straight from mapped pinned host memory and its 6 outputs are written straight
// into mapped pinned host memory (zero-copy): no copy-engine work, one kernel node per request. The host reads
// the outputs only after it has observed the stream's (or graph's) completion, which is when CUDA makes a
// kernel's writes to mapped host memory visible to the host.
//  * SMA and Bollinger: each output from its own 20-step window, two-pass (mean, then squared deviations),
//    expanding windows for t < 19 as the reference; the 24 prices a thread needs in registers and each sum
//    split in 4 partial sums, fully unrolled (GPUCTL_BENCH_LAT_FORM=mapped_loop: the first form, a loop over
//    shared memory per window, kept for comparison).
//  * EMA and RSI: the linear recurrences y_t = a_t y_{t-1} + b_t of finance_scan.cuh (same coefficients):
//    each thread composes its 4 maps, a warp shuffle scan plus the 8 warp totals give its incoming state, and
//    it re-runs its 4 steps.
#include <stdexcept>
#include <string>

#include "common.hpp"
#include "latency.cuh"

namespace {
constexpr int FT = 256, FS = 4, FN = FT * FS;  // threads, steps per thread, steps per series
static_assert(fin::kSmaN == fin::kBbN, "SMA and Bollinger share their windows");

struct Map {  // y -> a y + b, for EMA (e) and RSI (gains g, losses l; one a)
  float ae, be, ar, bg, bl;
};
__device__ Map after(const Map& first, const Map& then) {  // then o first
  return {then.ae * first.ae, fmaf(then.ae, first.be, then.be), then.ar * first.ar, fmaf(then.ar, first.bg, then.bg),
          fmaf(then.ar, first.bl, then.bl)};
}
__device__ Map step(int t, float x, float xp) {
  Map m;
  if (t < fin::kEmaN) {  // expanding mean; y_{N-1} = SMA(N)
    const float inv = 1.0f / (t + 1);
    m.ae = t * inv;
    m.be = x * inv;
  } else {
    constexpr float alpha = 2.0f / (fin::kEmaN + 1);
    m.ae = 1.0f - alpha;
    m.be = alpha * x;
  }
  const float d = x - xp;
  if (t == 0) {
    m.ar = m.bg = m.bl = 0.f;
  } else {
    const float inv = t <= fin::kRsiN ? 1.0f / t : 1.0f / fin::kRsiN;  // Wilder's seed: expanding means to t = N
    m.ar = t <= fin::kRsiN ? (t - 1) * inv : (fin::kRsiN - 1) / float(fin::kRsiN);
    m.bg = fmaxf(d, 0.f) * inv;
    m.bl = fmaxf(-d, 0.f) * inv;
  }
  return m;
}

template <bool Loop> __global__ __launch_bounds__(FT) void indicators_fused(const float* __restrict__ p, float* __restrict__ o, int64_t n) {
  __shared__ __align__(16) float x[FN];
  __shared__ Map wtot[FT / 32];
  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5, t0 = FS * tid;
  const int64_t base = (int64_t)blockIdx.x * FN;
  reinterpret_cast<float4*>(x)[tid] = reinterpret_cast<const float4*>(p + base)[tid];
  __syncthreads();
  float sma[FS], up[FS], lo[FS], ema[FS], rsi[FS];
  constexpr int N = fin::kSmaN;
  if (Loop) {  // the first form: each window summed by a loop over shared memory (a serial chain of loads and adds)
#pragma unroll
    for (int k = 0; k < FS; ++k) {
      const int t = t0 + k, cnt = min(t + 1, N);
      float s = 0.f, m2 = 0.f;
      for (int j = t - cnt + 1; j <= t; ++j) s += x[j];
      const float m = s / cnt;
      for (int j = t - cnt + 1; j <= t; ++j) m2 = fmaf(x[j] - m, x[j] - m, m2);
      const float sd = sqrtf(m2 / cnt);
      sma[k] = m;
      up[k] = fmaf(fin::kBbK, sd, m);
      lo[k] = fmaf(-fin::kBbK, sd, m);
    }
  } else {  // unrolled: w[j] = x[t0 - 20 + j] (0 before the series) in registers, 4 partial sums per window
    float w[24];
#pragma unroll
    for (int r = 0; r < 6; ++r) {
      const int v = tid - 5 + r;  // float4 index of x[t0 - 20 + 4r]
      const float4 q = v >= 0 ? reinterpret_cast<const float4*>(x)[v] : make_float4(0.f, 0.f, 0.f, 0.f);
      w[4 * r] = q.x;
      w[4 * r + 1] = q.y;
      w[4 * r + 2] = q.z;
      w[4 * r + 3] = q.w;
    }
#pragma unroll
    for (int k = 0; k < FS; ++k) {  // output t = t0 + k: window x[t - 19 .. t] = w[k + 1 .. k + 20]
      const int t = t0 + k, cnt = min(t + 1, N);
      float a[4] = {0.f, 0.f, 0.f, 0.f}, b[4] = {0.f, 0.f, 0.f, 0.f};
#pragma unroll
      for (int j = 0; j < N; ++j) a[j & 3] += w[k + 1 + j];
      const float m = ((a[0] + a[1]) + (a[2] + a[3])) / cnt;
#pragma unroll
      for (int j = 0; j < N; ++j) {
        const float d = w[k + 1 + j] - m;
        if (t - N + 1 + j >= 0) b[j & 3] = fmaf(d, d, b[j & 3]);  // expanding windows: only x[0 .. t]
      }
      const float sd = sqrtf(((b[0] + b[1]) + (b[2] + b[3])) / cnt);
      sma[k] = m;
      up[k] = fmaf(fin::kBbK, sd, m);
      lo[k] = fmaf(-fin::kBbK, sd, m);
    }
  }
  Map own = {1.f, 0.f, 1.f, 0.f, 0.f};
#pragma unroll
  for (int k = 0; k < FS; ++k) own = after(own, step(t0 + k, x[t0 + k], t0 + k ? x[t0 + k - 1] : 0.f));
  Map inc = own;  // inclusive scan over the warp's lanes
#pragma unroll
  for (int d = 1; d < 32; d <<= 1) {
    Map u;
    u.ae = __shfl_up_sync(~0u, inc.ae, d);
    u.be = __shfl_up_sync(~0u, inc.be, d);
    u.ar = __shfl_up_sync(~0u, inc.ar, d);
    u.bg = __shfl_up_sync(~0u, inc.bg, d);
    u.bl = __shfl_up_sync(~0u, inc.bl, d);
    if (lane >= d) inc = after(u, inc);
  }
  if (lane == 31) wtot[warp] = inc;
  __syncthreads();
  float ye = 0.f, yg = 0.f, yl = 0.f;  // the state at the end of the earlier warps
  for (int w = 0; w < warp; ++w) {
    ye = fmaf(wtot[w].ae, ye, wtot[w].be);
    yg = fmaf(wtot[w].ar, yg, wtot[w].bg);
    yl = fmaf(wtot[w].ar, yl, wtot[w].bl);
  }
  // the exclusive prefix of the lanes before this one: inclusive of lane - 1
  const float pae = __shfl_up_sync(~0u, inc.ae, 1), pbe = __shfl_up_sync(~0u, inc.be, 1);
  const float par = __shfl_up_sync(~0u, inc.ar, 1), pbg = __shfl_up_sync(~0u, inc.bg, 1), pbl = __shfl_up_sync(~0u, inc.bl, 1);
  if (lane > 0) {
    ye = fmaf(pae, ye, pbe);
    yg = fmaf(par, yg, pbg);
    yl = fmaf(par, yl, pbl);
  }
#pragma unroll
  for (int k = 0; k < FS; ++k) {
    const Map m = step(t0 + k, x[t0 + k], t0 + k ? x[t0 + k - 1] : 0.f);
    ye = fmaf(m.ae, ye, m.be);
    yg = fmaf(m.ar, yg, m.bg);
    yl = fmaf(m.ar, yl, m.bl);
    ema[k] = ye;
    const float s = yg + yl;
    rsi[k] = s > 0.f ? 100.f * yg / s : 50.f;
  }
  float4* out = reinterpret_cast<float4*>(o + base) + tid;
  const int64_t n4 = n / 4;  // outputs are n floats apart: SMA, EMA, mid, upper, lower, RSI
  out[0] = make_float4(sma[0], sma[1], sma[2], sma[3]);
  out[n4] = make_float4(ema[0], ema[1], ema[2], ema[3]);
  out[2 * n4] = make_float4(sma[0], sma[1], sma[2], sma[3]);
  out[3 * n4] = make_float4(up[0], up[1], up[2], up[3]);
  out[4 * n4] = make_float4(lo[0], lo[1], lo[2], lo[3]);
  out[5 * n4] = make_float4(rsi[0], rsi[1], rsi[2], rsi[3]);
}
}  // namespace

namespace lat {
void launch_indicators_fused(const float* p, float* o, int64_t A, int64_t T, cudaStream_t s, bool loop) {
  if (T != FN) throw std::runtime_error("launch_indicators_fused: T must be " + std::to_string(FN));
  if (loop) indicators_fused<true><<<(unsigned)A, FT, 0, s>>>(p, o, A * T);
  else indicators_fused<false><<<(unsigned)A, FT, 0, s>>>(p, o, A * T);
  CK_LAUNCH();
}
}  // namespace lat
