// Finance suite, risk:
//  * Historical VaR 99%: pnl (portfolios x scenarios) = W R^T through cuBLASLt fp32 (TN), then one block
//    per portfolio finds the floor(0.01 S)-th smallest P&L by a 4-pass 8-bit radix select over
//    order-preserving uint32 keys in shared memory; VaR = -that P&L.
//  * MA-crossover grid backtest: one block per (series, 2016-step chunk), one warp per fast window, one
//    lane per 63-step slice; window sums are float64 (exact for float32 prices), the 8 slow windows per
//    thread slide together. Each thread keeps, per combo, its slice's summary of the step returns (sum, sum of
//    squares, running peak, trough and maximum drawdown of the running sum: RetSum), reduced in time order over
//    lanes (shuffles), then over chunks by a second kernel that writes PnL, Sharpe and maximum drawdown.
#include <cmath>

#include "check.hpp"
#include "fin_host.hpp"
#include "gemm.cuh"
#include "json.hpp"
#include "risk_select.cuh"
#include "suites.hpp"

namespace {
__global__ __launch_bounds__(256) void var_select_kernel(const float* __restrict__ pnl, float* __restrict__ var, int S, int k) {
  extern __shared__ uint32_t keys[];
  __shared__ RiskSelectShared sh;
  const float* row = pnl + (int64_t)blockIdx.x * S;
  for (int i = threadIdx.x; i < S; i += blockDim.x) keys[i] = risk_key(row[i]);
  const uint32_t key = risk_select(keys, S, (uint32_t)k, sh);
  if (threadIdx.x == 0) var[blockIdx.x] = -risk_unkey(key);
}

void run_var(GpuCtx& c, const KernelInfo& kd) {
  VarCase vc;
  vc.make(c.o.sz.portfolios, c.o.sz.scenarios, c.o.sz.assets, c.o.seed, stream_of(kd.name));
  const int64_t P = vc.P, S = vc.S, A = vc.A;
  const int k = (int)std::floor(fin::kVarAlpha * (double)S);
  DevBuf<float> W, R, pnl(P * S), var(P);
  to_dev(W, vc.W, c.s);
  to_dev(R, vc.R, c.s);
  // column-major: C (S x P, ld S) = R_c^T (S x A) * W_c (A x P); R_c = R^T stored A x S (ld A)
  LtPlan plan;
  plan.init(lt::R_32F, lt::R_32F, lt::COMPUTE_32F, true, S, P, A, A, A, S);
  plan.autotune(c, R.p, W.p, pnl.p);
  const size_t smem = S * sizeof(uint32_t);
  if (smem > 48 * 1024) CK(cudaFuncSetAttribute(var_select_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem));
  auto f = [&] {
    plan.run(R.p, W.p, pnl.p, c.s);
    var_select_kernel<<<(unsigned)P, 256, smem, c.s>>>(pnl.p, var.p, (int)S, k);
    CK_LAUNCH();
  };
  poison(pnl.p, pnl.bytes(), c.s);
  poison(var.p, var.bytes(), c.s);
  f();
  std::vector<float> hv;
  to_host(hv, var, c.s);
  Result r = result_for(kd);
  r.check = vc.check(hv.data());
  r.flops = vc.flops();
  r.bytes = vc.bytes();
  fill_result(r, time_events(c, f), r.flops, 1e12);
  const int64_t p1 = std::max<int64_t>(1, (int64_t)(P * cpu_fraction(c.o)));
  r.cpu = time_cpu([&] { vc.cpu(p1, hv.data()); }, (double)p1 / P, 1, 3);
  r.size = {{"portfolios", (double)P}, {"scenarios", (double)S}, {"assets", (double)A}};
  r.note = "flops = 2 P S A (fp32 GEMM, cuBLASLt TN) ; time includes the per-portfolio 1% order statistic (radix select)";
  emit_result(r);
}

// ------------------------------------------------------------------ backtest
constexpr int BL = 63, BCH = 32 * BL, BHALO = fin::kMaxWin;  // 63 coprime with 32: conflict-free smem
__constant__ int c_fast[8] = {4, 6, 8, 10, 12, 16, 20, 24};

// A run of step returns: sum, sum of squares, the peak and the trough of its running sum (0, the start,
// included in both) and its maximum drawdown. join(a, b) is the summary of a followed by b.
struct RetSum {
  float s = 0.f, q = 0.f, p = 0.f, m = 0.f, d = 0.f;
  __device__ __forceinline__ void step(float r) {
    s += r;
    q = fmaf(r, r, q);
    p = fmaxf(p, s);
    m = fminf(m, s);
    d = fmaxf(d, p - s);
  }
};
__device__ __forceinline__ RetSum join(const RetSum& a, const RetSum& b) {
  RetSum o;
  o.s = a.s + b.s;
  o.q = a.q + b.q;
  o.p = fmaxf(a.p, a.s + b.p);
  o.m = fminf(a.m, a.s + b.m);
  o.d = fmaxf(fmaxf(a.d, b.d), a.p - (a.s + b.m));
  return o;
}
__device__ __forceinline__ RetSum shfl_down(const RetSum& v, int o) {
  RetSum r;
  r.s = __shfl_down_sync(0xffffffffu, v.s, o);
  r.q = __shfl_down_sync(0xffffffffu, v.q, o);
  r.p = __shfl_down_sync(0xffffffffu, v.p, o);
  r.m = __shfl_down_sync(0xffffffffu, v.m, o);
  r.d = __shfl_down_sync(0xffffffffu, v.d, o);
  return r;
}

__global__ __launch_bounds__(256) void backtest_kernel(const float* __restrict__ p, float* __restrict__ partial, int T) {
  __shared__ double sp[BHALO + BCH + 1];
  __shared__ float sr[BCH];
  const int a = blockIdx.y, chunk = blockIdx.x, c0 = chunk * BCH;
  const float* ps = p + (int64_t)a * T;
  for (int i = threadIdx.x; i < BHALO + BCH + 1; i += blockDim.x) {
    const int t = c0 - BHALO + i;
    sp[i] = (t >= 0 && t < T) ? (double)ps[t] : 0.0;
  }
  __syncthreads();
  for (int i = threadIdx.x; i < BCH; i += blockDim.x) {
    const float x0 = (float)sp[BHALO + i], x1 = (float)sp[BHALO + i + 1];
    sr[i] = (x1 - x0) / x0;
  }
  __syncthreads();
  const int w = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const int f = c_fast[w];
  const double fd = f;
  const int tb = c0 + lane * BL, te = min(tb + BL, T - 1);
  RetSum rs[8];
  if (tb < te) {
    // P(t) = sp[t - c0 + BHALO]
    const double* P = sp + BHALO - c0;
    double acc = 0.0, F = 0.0, S[8];
    int kk = 0;
    for (; kk < f; ++kk) acc += P[tb - 1 - kk];
    F = acc;
#pragma unroll
    for (int j = 0; j < 8; ++j) {
      for (; kk < fin::slow_window(j); ++kk) acc += P[tb - 1 - kk];
      S[j] = acc;
    }
    int prev[8];
#pragma unroll
    for (int j = 0; j < 8; ++j) {
      const double lhs = fin::slow_window(j) * F, rhs = fd * S[j];
      prev[j] = (tb - 1 >= fin::slow_window(j) - 1) ? (lhs > rhs) - (lhs < rhs) : 0;
    }
    for (int t = tb; t < te; ++t) {
      const double x = P[t];
      F += x - P[t - f];
      const float r = sr[t - c0];
#pragma unroll
      for (int j = 0; j < 8; ++j) {
        S[j] += x - P[t - fin::slow_window(j)];
        const double lhs = fin::slow_window(j) * F, rhs = fd * S[j];
        const int pos = (t >= fin::slow_window(j) - 1) ? (lhs > rhs) - (lhs < rhs) : 0;
        rs[j].step((float)pos * r - fin::kCost * (float)abs(pos - prev[j]));
        prev[j] = pos;
      }
    }
  }
  // lane order is time order: after the offsets 1 .. 16, lane 0 holds lanes 0 .. 31 joined in order
#pragma unroll
  for (int j = 0; j < 8; ++j)
    for (int o = 1; o < 32; o <<= 1) rs[j] = join(rs[j], shfl_down(rs[j], o));
  if (lane == 0) {
    float* out = partial + ((int64_t)a * gridDim.x + chunk) * 5 * 64 + w * 8;  // [series][chunk][field][combo]
#pragma unroll
    for (int j = 0; j < 8; ++j) {
      out[j] = rs[j].s;
      out[64 + j] = rs[j].q;
      out[128 + j] = rs[j].p;
      out[192 + j] = rs[j].m;
      out[256 + j] = rs[j].d;
    }
  }
}

__global__ void backtest_reduce(const float* __restrict__ partial, float* __restrict__ pnl, float* __restrict__ sharpe,
                                float* __restrict__ mdd, int chunks, int steps) {
  const int a = blockIdx.x, i = threadIdx.x;  // 64 threads: (fast, slow)
  RetSum s;
  for (int c = 0; c < chunks; ++c) {
    const float* in = partial + ((int64_t)a * chunks + c) * 5 * 64 + i;
    RetSum x;
    x.s = in[0];
    x.q = in[64];
    x.p = in[128];
    x.m = in[192];
    x.d = in[256];
    s = join(s, x);
  }
  pnl[(int64_t)a * 64 + i] = s.s;
  sharpe[(int64_t)a * 64 + i] = (float)fin::sharpe_of(s.s, s.q, steps);
  mdd[(int64_t)a * 64 + i] = s.d;
}

void run_backtest(GpuCtx& c, const KernelInfo& kd) {
  BacktestCase bc;
  bc.make(c.o.sz.grid_series, c.o.sz.grid_steps, c.o.seed, stream_of(kd.name));
  const int64_t A = bc.A, T = bc.T;
  const int chunks = (int)((T - 1 + BCH - 1) / BCH);
  DevBuf<float> p, partial(A * chunks * 5 * 64), out[3];
  for (auto& o : out) o.alloc(A * 64);
  to_dev(p, bc.p, c.s);
  auto f = [&] {
    backtest_kernel<<<dim3(chunks, (unsigned)A), 256, 0, c.s>>>(p.p, partial.p, (int)T);
    CK_LAUNCH();
    backtest_reduce<<<(unsigned)A, 64, 0, c.s>>>(partial.p, out[0].p, out[1].p, out[2].p, chunks, (int)(T - 1));
    CK_LAUNCH();
  };
  poison(partial.p, partial.bytes(), c.s);
  for (auto& o : out) poison(o.p, o.bytes(), c.s);
  f();
  std::vector<float> h[3];
  for (int i = 0; i < 3; ++i) to_host(h[i], out[i], c.s);
  float* hs[3] = {h[0].data(), h[1].data(), h[2].data()};
  Result r = result_for(kd);
  r.check = bc.check(hs);
  r.bytes = bc.bytes();
  fill_result(r, time_events(c, f), bc.steps(), 1e9);
  const int64_t a1 = std::max<int64_t>(1, (int64_t)(A * cpu_fraction(c.o)));
  r.cpu = time_cpu([&] { bc.cpu(a1, hs); }, (double)a1 / A, 1, 3);
  r.size = {{"grid_series", (double)A}, {"grid_steps", (double)T}};
  r.note =
      "value = series x 64 (fast, slow) pairs x (steps-1) / time; outputs PnL, Sharpe and max drawdown per pair; input 16 MB "
      "fits in L2: compute-bound (float64 window sums for exact crossover decisions)";
  emit_result(r);
}
}  // namespace

// Skips (not an error) when cuBLASLt cannot be loaded.
void gpu_var_historical(GpuCtx& c, const KernelInfo& k) {
  if (!lt::api().ok) emit_skip(k.suite, k.name, "cuBLASLt unavailable: " + lt::api().error);
  else run_var(c, k);
}
void gpu_backtest_grid(GpuCtx& c, const KernelInfo& k) { run_backtest(c, k); }
