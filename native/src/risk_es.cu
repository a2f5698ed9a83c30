// Expected Shortfall 97.5% (issue 21), beside the historical VaR (finance_risk.cu) and from the same P&L:
// pnl (portfolios x scenarios) = W R^T through cuBLASLt fp32 (TN), then one block per portfolio finds the
// key of the k-th smallest P&L (k = fin::es_count(S), radix select of risk_select.cuh) and averages the tail:
// ES = -(sum of the P&L below that value + (k - their count) x that value) / k, exact with ties.
#include <cmath>

#include "check.hpp"
#include "fin_host.hpp"
#include "gemm.cuh"
#include "json.hpp"
#include "risk_select.cuh"
#include "suites.hpp"

namespace {
__global__ __launch_bounds__(256) void es_tail_kernel(const float* __restrict__ pnl, float* __restrict__ es, int S, int k) {
  extern __shared__ uint32_t keys[];
  __shared__ RiskSelectShared sh;
  __shared__ float wsum[8];
  __shared__ int wcnt[8];
  const float* row = pnl + (int64_t)blockIdx.x * S;
  for (int i = threadIdx.x; i < S; i += blockDim.x) keys[i] = risk_key(row[i]);
  const uint32_t th = risk_select(keys, S, (uint32_t)(k - 1), sh);  // the k-th smallest (1-based)
  float sum = 0.f;
  int cnt = 0;
  for (int i = threadIdx.x; i < S; i += blockDim.x) {
    const uint32_t key = keys[i];
    if (key < th) sum += risk_unkey(key), ++cnt;
  }
  for (int o = 16; o; o >>= 1) {
    sum += __shfl_xor_sync(0xffffffffu, sum, o);
    cnt += __shfl_xor_sync(0xffffffffu, cnt, o);
  }
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0) wsum[warp] = sum, wcnt[warp] = cnt;
  __syncthreads();
  if (threadIdx.x == 0) {
    float s = 0.f;
    int c = 0;
    for (int w = 0; w < 8; ++w) s += wsum[w], c += wcnt[w];
    es[blockIdx.x] = -(s + (float)(k - c) * risk_unkey(th)) / (float)k;
  }
}

void run_es(GpuCtx& c, const KernelInfo& kd) {
  VarCase vc;
  vc.es = true;
  vc.make(c.o.sz.portfolios, c.o.sz.scenarios, c.o.sz.assets, c.o.seed, stream_of(kd.name));
  const int64_t P = vc.P, S = vc.S, A = vc.A;
  const int k = (int)fin::es_count(S);
  DevBuf<float> W, R, pnl(P * S), es(P);
  to_dev(W, vc.W, c.s);
  to_dev(R, vc.R, c.s);
  // column-major: C (S x P, ld S) = R_c^T (S x A) * W_c (A x P), as VaR
  LtPlan plan;
  plan.init(lt::R_32F, lt::R_32F, lt::COMPUTE_32F, true, S, P, A, A, A, S);
  plan.autotune(c, R.p, W.p, pnl.p);
  const size_t smem = S * sizeof(uint32_t);
  if (smem > 48 * 1024) CK(cudaFuncSetAttribute(es_tail_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem));
  auto tail = [&] {
    es_tail_kernel<<<(unsigned)P, 256, smem, c.s>>>(pnl.p, es.p, (int)S, k);
    CK_LAUNCH();
  };
  auto f = [&] {
    plan.run(R.p, W.p, pnl.p, c.s);
    tail();
  };
  poison(pnl.p, pnl.bytes(), c.s);
  poison(es.p, es.bytes(), c.s);
  f();
  std::vector<float> hv;
  to_host(hv, es, c.s);
  Result r = result_for(kd);
  r.check = vc.check(hv.data());
  r.flops = vc.flops();
  r.bytes = vc.bytes();
  fill_result(r, time_events(c, f), r.flops, 1e12);
  const std::vector<double> tail_ms = time_events(c, tail);  // the tail step alone, on the same pnl
  const int64_t p1 = std::max<int64_t>(1, (int64_t)(P * cpu_fraction(c.o)));
  r.cpu = time_cpu([&] { vc.cpu(p1, hv.data()); }, (double)p1 / P, 1, 3);
  r.size = {{"portfolios", (double)P}, {"scenarios", (double)S}, {"assets", (double)A}};
  r.extra = {{"tailMs", median(tail_ms)}, {"tailCount", (double)k}};
  r.note = "flops = 2 P S A (fp32 GEMM, cuBLASLt TN); time includes the per-portfolio 2.5% tail mean (radix select + sum)";
  emit_result(r);
}
}  // namespace

// Skips (not an error) when cuBLASLt cannot be loaded.
void gpu_es_historical(GpuCtx& c, const KernelInfo& k) {
  if (!lt::api().ok) emit_skip(k.suite, k.name, "cuBLASLt unavailable: " + lt::api().error);
  else run_es(c, k);
}
