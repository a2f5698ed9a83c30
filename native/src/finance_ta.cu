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
#include "fin_host.hpp"
#include "gpu.cuh"
#include "json.hpp"
#include "suites.hpp"

namespace {
constexpr int WT = 256, WCH = WT * 16, WH = 20;  // window kernels: threads, outputs per block, halo
static_assert(WH >= fin::kSmaN - 1 && WH >= fin::kBbN - 1 && WH % 4 == 0, "halo");

template <bool BB>
__global__ __launch_bounds__(WT) void window_kernel(const float* __restrict__ p, float* __restrict__ o0,
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
      w[4 * r] = x.x; w[4 * r + 1] = x.y; w[4 * r + 2] = x.z; w[4 * r + 3] = x.w;
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

// ------------------------------------------------------------------ scans (EMA, RSI)
constexpr int ST = 256, SE = 8, STILE = ST * SE;
__host__ __device__ constexpr int sphys(int e) { return e + (e >> 5) * 4; }  // pad 4 floats per 32

// A linear recurrence y_t = a_t y_{t-1} + b_t per channel. In steady state a_t is the constant kA and
// b_t comes from b_fast(); the first steps of a series (t <= kEarly) use coef() with a_t, b_t general.
struct EmaOp {
  static constexpr int C = 1, N = fin::kEmaN, kEarly = N - 1, kMinBlocks = 6;  // <= 40 registers
  static constexpr float alpha = 2.0f / (N + 1), kA = 1.0f - alpha;
  __device__ static void b_fast(float x, float /*xprev*/, float* b) { b[0] = alpha * x; }
  __device__ static void coef(int t, float x, float xprev, float& a, float* b) {
    if (t < N) {  // expanding mean: y_t = t/(t+1) y + x/(t+1); y_{N-1} = SMA(N)
      const float inv = 1.0f / (t + 1);
      a = t * inv;
      b[0] = x * inv;
    } else {
      a = kA;
      b_fast(x, xprev, b);
    }
  }
  __device__ static float a_of(int t) { return t < N ? t / float(t + 1) : kA; }
  __device__ static float out(const float* y) { return y[0]; }
};

struct RsiOp {
  static constexpr int C = 2, N = fin::kRsiN, kEarly = N, kMinBlocks = 4;  // 5 (48 regs) spilled 4 B, same speed
  static constexpr float kA = (N - 1) / float(N);
  __device__ static void b_fast(float x, float xprev, float* b) {
    const float d = x - xprev;
    b[0] = fmaxf(d, 0.f) * (1.0f / N);
    b[1] = fmaxf(-d, 0.f) * (1.0f / N);
  }
  __device__ static void coef(int t, float x, float xprev, float& a, float* b) {
    if (t == 0) {
      a = 0.f;
      b[0] = b[1] = 0.f;
    } else if (t <= N) {  // expanding means of gains / losses over 1..t (t = N: Wilder's seed)
      const float d = x - xprev, inv = 1.0f / t;
      a = (t - 1) * inv;
      b[0] = fmaxf(d, 0.f) * inv;
      b[1] = fmaxf(-d, 0.f) * inv;
    } else {
      a = kA;
      b_fast(x, xprev, b);
    }
  }
  __device__ static float a_of(int t) { return t == 0 ? 0.f : (t <= N ? (t - 1) / float(t) : kA); }
  __device__ static float out(const float* y) {
    const float s = y[0] + y[1];
    return s > 0.f ? __fdividef(100.f * y[0], s) : 50.f;
  }
};

// Turing (sm_75) holds at most 1024 threads (4 blocks of 256) per SM.
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ == 750
#define SCAN_MINB(x) ((x) > 4 ? 4 : (x))
#else
#define SCAN_MINB(x) (x)
#endif

template <class Op>
__global__ __launch_bounds__(ST, SCAN_MINB(Op::kMinBlocks)) void scan_kernel(const float* __restrict__ p, float* __restrict__ out, int T) {
  constexpr int C = Op::C, NW = ST / 32;
  constexpr float kA2 = Op::kA * Op::kA, kA4 = kA2 * kA2, kA8 = kA4 * kA4;
  __shared__ __align__(16) float tile[sphys(STILE)];
  __shared__ float wa[NW], wb[C][NW];
  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
  const int64_t base = (int64_t)blockIdx.x * T;
  const float* ps = p + base;
  float* os = out + base;
  float carry[C];
#pragma unroll
  for (int c = 0; c < C; ++c) carry[c] = 0.f;
  float prevp = 0.f;  // price just before the current tile
  float4 pf[2];
#pragma unroll
  for (int j = 0; j < 2; ++j) {
    const int t = 4 * (tid + ST * j);
    pf[j] = t < T ? __ldcs(reinterpret_cast<const float4*>(ps + t)) : make_float4(0.f, 0.f, 0.f, 0.f);
  }
  for (int t0 = 0; t0 < T; t0 += STILE) {
#pragma unroll
    for (int j = 0; j < 2; ++j) *reinterpret_cast<float4*>(&tile[sphys(4 * (tid + ST * j))]) = pf[j];
    __syncthreads();
    if (t0 + STILE < T) {  // prefetch the next tile while this one is processed
#pragma unroll
      for (int j = 0; j < 2; ++j) {
        const int t = t0 + STILE + 4 * (tid + ST * j);
        pf[j] = t < T ? __ldcs(reinterpret_cast<const float4*>(ps + t)) : make_float4(0.f, 0.f, 0.f, 0.f);
      }
    }
    float x[SE];
    {
      const float4 u = *reinterpret_cast<const float4*>(&tile[sphys(SE * tid)]);
      const float4 v = *reinterpret_cast<const float4*>(&tile[sphys(SE * tid) + 4]);
      x[0] = u.x; x[1] = u.y; x[2] = u.z; x[3] = u.w; x[4] = v.x; x[5] = v.y; x[6] = v.z; x[7] = v.w;
    }
    const float xin = tid == 0 ? prevp : tile[sphys(SE * tid - 1)];
    const int tb = t0 + SE * tid;
    const bool early = tb <= Op::kEarly;  // only the first threads of a series' first tile
    // this thread's 8 maps and their composition (A, B): y_out = A y_in + B
    float b[SE][C], A, B[C];
#pragma unroll
    for (int c = 0; c < C; ++c) B[c] = 0.f;
    if (!early) {
#pragma unroll
      for (int i = 0; i < SE; ++i) {
        Op::b_fast(x[i], i ? x[i - 1] : xin, b[i]);
#pragma unroll
        for (int c = 0; c < C; ++c) B[c] = fmaf(Op::kA, B[c], b[i][c]);
      }
      A = kA8;
    } else {
      A = 1.f;
#pragma unroll
      for (int i = 0; i < SE; ++i) {
        float a;
        Op::coef(tb + i, x[i], i ? x[i - 1] : xin, a, b[i]);
#pragma unroll
        for (int c = 0; c < C; ++c) B[c] = fmaf(a, B[c], b[i][c]);
        A *= a;
      }
    }
    if (tb >= T) {  // past the end (T is a multiple of 16, so all 8 or none): identity
      A = 1.f;
#pragma unroll
      for (int c = 0; c < C; ++c) B[c] = 0.f;
    }
    // inclusive warp scan of the maps (earlier lanes applied first)
#pragma unroll
    for (int d = 1; d < 32; d <<= 1) {
      const float An = __shfl_up_sync(0xffffffffu, A, d);
      float Bn[C];
#pragma unroll
      for (int c = 0; c < C; ++c) Bn[c] = __shfl_up_sync(0xffffffffu, B[c], d);
      if (lane >= d) {
#pragma unroll
        for (int c = 0; c < C; ++c) B[c] = fmaf(A, Bn[c], B[c]);
        A *= An;
      }
    }
    if (lane == 31) {
      wa[warp] = A;
#pragma unroll
      for (int c = 0; c < C; ++c) wb[c][warp] = B[c];
    }
    // exclusive prefix within the warp
    float Ae = __shfl_up_sync(0xffffffffu, A, 1), Be[C];
#pragma unroll
    for (int c = 0; c < C; ++c) Be[c] = __shfl_up_sync(0xffffffffu, B[c], 1);
    if (lane == 0) {
      Ae = 1.f;
#pragma unroll
      for (int c = 0; c < C; ++c) Be[c] = 0.f;
    }
    __syncthreads();
    float y[C];
#pragma unroll
    for (int c = 0; c < C; ++c) y[c] = carry[c];
#pragma unroll
    for (int w = 0; w < NW; ++w) {
      const float aw = wa[w];
#pragma unroll
      for (int c = 0; c < C; ++c) {
        const float bw = wb[c][w];
        if (w < warp) y[c] = fmaf(aw, y[c], bw);
        carry[c] = fmaf(aw, carry[c], bw);  // state after the whole tile (for the next one)
      }
    }
#pragma unroll
    for (int c = 0; c < C; ++c) y[c] = fmaf(Ae, y[c], Be[c]);
    float o[SE];
    if (!early) {
#pragma unroll
      for (int i = 0; i < SE; ++i) {
#pragma unroll
        for (int c = 0; c < C; ++c) y[c] = fmaf(Op::kA, y[c], b[i][c]);
        o[i] = Op::out(y);
      }
    } else {
#pragma unroll
      for (int i = 0; i < SE; ++i) {
        const float a = Op::a_of(tb + i);
#pragma unroll
        for (int c = 0; c < C; ++c) y[c] = fmaf(a, y[c], b[i][c]);
        o[i] = Op::out(y);
      }
    }
    prevp = tile[sphys(STILE - 1)];
    __syncthreads();  // everyone has read the tile
    *reinterpret_cast<float4*>(&tile[sphys(SE * tid)]) = make_float4(o[0], o[1], o[2], o[3]);
    *reinterpret_cast<float4*>(&tile[sphys(SE * tid) + 4]) = make_float4(o[4], o[5], o[6], o[7]);
    __syncthreads();
#pragma unroll
    for (int j = 0; j < 2; ++j) {
      const int e = 4 * (tid + ST * j), t = t0 + e;
      if (t < T) __stcs(reinterpret_cast<float4*>(os + t), *reinterpret_cast<const float4*>(&tile[sphys(e)]));
    }
    __syncthreads();  // before the next tile overwrites the buffer
  }
}

void launch_ta(Ta k, const float* p, float* const* o, int64_t A, int64_t T, cudaStream_t s) {
  switch (k) {
    case Ta::Sma:
    case Ta::Bollinger: {
      dim3 grid((unsigned)((T + WCH - 1) / WCH), (unsigned)A);
      if (k == Ta::Sma)
        window_kernel<false><<<grid, WT, 0, s>>>(p, o[0], nullptr, nullptr, (int)T);
      else
        window_kernel<true><<<grid, WT, 0, s>>>(p, o[0], o[1], o[2], (int)T);
      break;
    }
    case Ta::Ema: scan_kernel<EmaOp><<<(unsigned)A, ST, 0, s>>>(p, o[0], (int)T); break;
    case Ta::Rsi: scan_kernel<RsiOp><<<(unsigned)A, ST, 0, s>>>(p, o[0], (int)T); break;
  }
  CK_LAUNCH();
}

void run_ta(GpuCtx& c, Ta k, const char* name) {
  TaCase tc;
  tc.make(k, c.o.sz.series, c.o.sz.steps, c.o.seed);
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
  Result r;
  r.suite = "finance";
  r.name = name;
  r.unit = "GB/s";
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

void run_finance_ta(GpuCtx& c) {
  guarded(c, "finance", "sma", [&] { run_ta(c, Ta::Sma, "sma"); });
  guarded(c, "finance", "ema", [&] { run_ta(c, Ta::Ema, "ema"); });
  guarded(c, "finance", "bollinger", [&] { run_ta(c, Ta::Bollinger, "bollinger"); });
  guarded(c, "finance", "rsi", [&] { run_ta(c, Ta::Rsi, "rsi"); });
}
