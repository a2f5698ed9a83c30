// Finance suite, technical indicators on series-major float32 data (A series x T steps).
//  * SMA and Bollinger: one block per (series, 4096-step chunk); the chunk plus a 20-step halo is staged
//    in shared memory with 16-byte loads; each thread makes 4 groups of 4 consecutive outputs (one
//    coalesced float4 store per group) from a 24-value window read out of shared memory.
//  * EMA and RSI: linear recurrences y_t = a_t y_{t-1} + b_t. One block per series walks it in tiles of
//    2048 steps (8 per thread): each thread composes its 8 affine maps, a warp shuffle scan and a scan
//    over the 8 warp totals give every thread its incoming state, and the thread re-runs its 8 steps.
//    The next tile's loads are issued before the current tile is processed (register prefetch).
// Effective bytes: input read once + outputs written once (4 bytes each).
#include "check.hpp"
#include "cluster.cuh"
#include "finance_scan.cuh"
#include "fin_host.hpp"
#include "gpu.cuh"
#include "json.hpp"
#include "suites.hpp"

namespace {
constexpr int WT = 256, WCH = WT * 16, WH = 20;  // window kernels: threads, outputs per block, halo
static_assert(WH >= fin::kSmaN - 1 && WH >= fin::kBbN - 1 && WH % 4 == 0, "halo");

template <bool BB> __global__ __launch_bounds__(WT) void window_kernel(const float* __restrict__ p, float* __restrict__ o0,
                                                                       float* __restrict__ o1, float* __restrict__ o2, int T) {
  constexpr int N = BB ? fin::kBbN : fin::kSmaN;
  __shared__ __align__(16) float tile[WH + WCH];
  const int64_t base = (int64_t)blockIdx.y * T;
  const int c0 = blockIdx.x * WCH;
  const float* ps = p + base;
  for (int v = threadIdx.x; v < (WH + WCH) / 4; v += WT) {
    const int t = c0 - WH + 4 * v;
    float4 x = make_float4(0.f, 0.f, 0.f, 0.f);
    if (t >= 0 && t < T) x = __ldcs(reinterpret_cast<const float4*>(ps + t));
    reinterpret_cast<float4*>(tile)[v] = x;
  }
  __syncthreads();
  const float invN = 1.0f / N;
#pragma unroll 1
  for (int q = 0; q < 4; ++q) {
    const int g = threadIdx.x + WT * q;  // group of 4 outputs: times c0 + 4g .. c0 + 4g + 3
    const int t = c0 + 4 * g;
    if (t >= T) break;
    // w[j] = price at time t - WH + j, j = 0..23 (tile index 4g + j)
    float w[24];
#pragma unroll
    for (int r = 0; r < 6; ++r) {
      const float4 x = reinterpret_cast<const float4*>(tile)[g + r];
      w[4 * r] = x.x;
      w[4 * r + 1] = x.y;
      w[4 * r + 2] = x.z;
      w[4 * r + 3] = x.w;
    }
    float out0[4], out1[4], out2[4];
    if (t + 3 >= N - 1) {
      // full windows except possibly the first outputs of the series (t < N-1): handled below
      float s = 0.f;
#pragma unroll
      for (int j = WH - N + 1; j <= WH; ++j) s += w[j];
      float m = s * invN, m2 = 0.f;
      if (BB) {
#pragma unroll
        for (int j = WH - N + 1; j <= WH; ++j) m2 += (w[j] - m) * (w[j] - m);
      }
#pragma unroll
      for (int k = 0; k < 4; ++k) {
        if (k > 0) {
          const float xn = w[WH + k], xo = w[WH + k - N];
          s += xn - xo;
          const float mn = s * invN;
          if (BB) m2 = fmaxf(m2 + (xn - xo) * (xn - mn + xo - m), 0.f);
          m = mn;
        }
        out0[k] = m;
        if (BB) {
          const float sd = sqrtf(m2 * invN);
          out1[k] = fmaf(fin::kBbK, sd, m);
          out2[k] = fmaf(-fin::kBbK, sd, m);
        }
      }
    }
    if (t < N - 1) {  // expanding windows at the start of the series (block 0 only): direct two-pass
      for (int k = 0; k < 4; ++k) {
        const int tt = t + k, cnt = min(tt + 1, N);
        float s = 0.f;
        for (int j = tt - cnt + 1; j <= tt; ++j) s += tile[WH + j - c0];
        const float m = s / cnt;
        float m2 = 0.f;
        if (BB)
          for (int j = tt - cnt + 1; j <= tt; ++j) m2 += (tile[WH + j - c0] - m) * (tile[WH + j - c0] - m);
        const float sd = sqrtf(m2 / cnt);
        out0[k] = m;
        out1[k] = fmaf(fin::kBbK, sd, m);
        out2[k] = fmaf(-fin::kBbK, sd, m);
      }
    }
    __stcs(reinterpret_cast<float4*>(o0 + base + t), make_float4(out0[0], out0[1], out0[2], out0[3]));
    if (BB) {
      __stcs(reinterpret_cast<float4*>(o1 + base + t), make_float4(out1[0], out1[1], out1[2], out1[3]));
      __stcs(reinterpret_cast<float4*>(o2 + base + t), make_float4(out2[0], out2[1], out2[2], out2[3]));
    }
  }
}

}  // namespace

// Also used by the latency suite (cluster.cuh).
void launch_ta(Ta k, const float* p, float* const* o, int64_t A, int64_t T, cudaStream_t s) {
  switch (k) {
    case Ta::Sma:
    case Ta::Bollinger: {
      dim3 grid((unsigned)((T + WCH - 1) / WCH), (unsigned)A);
      if (k == Ta::Sma) window_kernel<false><<<grid, WT, 0, s>>>(p, o[0], nullptr, nullptr, (int)T);
      else window_kernel<true><<<grid, WT, 0, s>>>(p, o[0], o[1], o[2], (int)T);
      break;
    }
    case Ta::Ema: scan_kernel<EmaOp><<<(unsigned)A, ST, 0, s>>>(p, o[0], (int)T); break;
    case Ta::Rsi: scan_kernel<RsiOp><<<(unsigned)A, ST, 0, s>>>(p, o[0], (int)T); break;
  }
  CK_LAUNCH();
}

namespace {
void run_ta(GpuCtx& c, const KernelInfo& kd, Ta k) {
  TaCase tc;
  tc.make(k, c.o.sz.series, c.o.sz.steps, c.o.seed, stream_of(kd.name));
  const int64_t n = tc.A * tc.T;
  DevBuf<float> p, o[3];
  to_dev(p, tc.p, c.s);
  float* op[3] = {nullptr, nullptr, nullptr};
  for (int i = 0; i < tc.nout(); ++i) {
    o[i].alloc(n);
    op[i] = o[i].p;
    poison(o[i].p, o[i].bytes(), c.s);
  }
  launch_ta(k, p.p, op, tc.A, tc.T, c.s);
  std::vector<float> h[3];
  float* hp[3] = {nullptr, nullptr, nullptr};
  for (int i = 0; i < tc.nout(); ++i) {
    to_host(h[i], o[i], c.s);
    hp[i] = h[i].data();
  }
  Result r = result_for(kd);
  r.check = tc.check(hp);
  r.bytes = tc.bytes();
  fill_result(r, time_events(c, [&] { launch_ta(k, p.p, op, tc.A, tc.T, c.s); }), r.bytes, 1e9);
  // CPU implementation on a fraction of the series (scaled)
  const double f = cpu_fraction(c.o);
  const int64_t a1 = std::max<int64_t>(1, (int64_t)(tc.A * f));
  r.cpu = time_cpu([&] { tc.cpu(a1, hp); }, (double)a1 / tc.A, 1, 3);
  r.size = {{"series", (double)tc.A}, {"steps", (double)tc.T}};
  r.note = k == Ta::Bollinger ? "bytes = input read once + 3 outputs (mid, upper, lower) written once"
                              : "bytes = input read once + output written once";
  emit_result(r);
}
}  // namespace

void gpu_sma(GpuCtx& c, const KernelInfo& k) { run_ta(c, k, Ta::Sma); }
void gpu_ema(GpuCtx& c, const KernelInfo& k) { run_ta(c, k, Ta::Ema); }
void gpu_bollinger(GpuCtx& c, const KernelInfo& k) { run_ta(c, k, Ta::Bollinger); }
void gpu_rsi(GpuCtx& c, const KernelInfo& k) { run_ta(c, k, Ta::Rsi); }
