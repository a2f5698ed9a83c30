// Latency suite: one small trading request end to end, as a service sees it: copy the input from pinned
// host memory, run the kernels, copy the result back, synchronise; timed with the host's steady clock per
// request, 10,000 requests (--size requests=N) after warm-up, as plain stream launches and as one replayed
// CUDA graph. The same request computed on one CPU thread (float32, the finance suite's CPU code) gives the
// crossover. The two small requests (indicators 1 x 1,024, Black-Scholes 1,024) are by default one kernel on
// mapped pinned host memory, no copies (GPUCTL_BENCH_LAT_FORM=copy: the copy form, latency_tail.hpp). Percentiles are nearest-rank: p-th =
// sorted[ceil(p/100 x n) - 1].
#include <algorithm>
#include <cmath>

#include "cpu_ref.hpp"
#include "json.hpp"
#include "latency.cuh"
#include "latency_tail.hpp"
#include "suites.hpp"

namespace {
using namespace lat;

constexpr int kT = 1024, kVarS = 4096, kVarA = 512;

// pnl[s] = sum_a R[s][a] w[a]: one warp per scenario row, float4 loads (A a multiple of 128).
__global__ __launch_bounds__(256) void var_gemv(const float* __restrict__ R, const float* __restrict__ w, float* __restrict__ pnl, int S,
                                                int A) {
  const int row = blockIdx.x * 8 + (threadIdx.x >> 5), lane = threadIdx.x & 31;
  if (row >= S) return;
  const float4* r4 = reinterpret_cast<const float4*>(R + (int64_t)row * A);
  const float4* w4 = reinterpret_cast<const float4*>(w);
  float acc = 0.f;
  for (int i = lane; i < A / 4; i += 32) {
    const float4 x = r4[i], y = w4[i];
    acc = fmaf(x.x, y.x, fmaf(x.y, y.y, fmaf(x.z, y.z, fmaf(x.w, y.w, acc))));
  }
  for (int o = 16; o; o >>= 1) acc += __shfl_xor_sync(0xffffffffu, acc, o);
  if (lane == 0) pnl[row] = acc;
}

// VaR = -(k-th smallest of 4096 P&Ls): bitonic sort in shared memory by one block of 1024 threads.
__global__ __launch_bounds__(1024) void var_select(const float* __restrict__ pnl, int k, float* var) {
  __shared__ float v[kVarS];
  for (int i = threadIdx.x; i < kVarS; i += 1024) v[i] = pnl[i];
  __syncthreads();
  for (int size = 2; size <= kVarS; size <<= 1)
    for (int j = size >> 1; j > 0; j >>= 1) {
      for (int i = threadIdx.x; i < kVarS; i += 1024) {
        const int ixj = i ^ j;
        if (ixj > i) {
          const bool up = (i & size) == 0;
          const float a = v[i], b = v[ixj];
          if ((a > b) == up) {
            v[i] = b;
            v[ixj] = a;
          }
        }
      }
      __syncthreads();
    }
  if (threadIdx.x == 0) *var = -v[k];
}

void indicators(GpuCtx& c, const KernelInfo& k, int64_t A, bool graph) {
  const int64_t n = A * kT;
  TaCase tc;
  tc.make(Ta::Sma, A, kT, c.o.seed, stream_of("lat_ind"), false);
  std::vector<double> ref(6 * n);
  double* rp = ref.data();
  sma_cpu<double>(tc.p.data(), rp, 0, A, kT);
  ema_cpu<double>(tc.p.data(), rp + n, 0, A, kT);
  bollinger_cpu<double>(tc.p.data(), rp + 2 * n, rp + 3 * n, rp + 4 * n, 0, A, kT);
  rsi_cpu<double>(tc.p.data(), rp + 5 * n, 0, A, kT);
  Pinned hin(n), hout(6 * n);
  std::copy(tc.p.begin(), tc.p.end(), hin.p);
  DevBuf<float> din(n), dout(6 * n);
  std::vector<float> cpu_out(6 * n);
  float* o = dout.p;
  Request q;
  q.base = "lat_ind_" + std::to_string(A) + "x1024";
  q.size = {{"series", (double)A}, {"steps", (double)kT}};
  q.note = "H2D " + std::to_string(4 * n) + " B, SMA(20) + EMA(20) + Bollinger(20,2) + RSI(14): 4 kernels, D2H 6 outputs";
  Branches br;
  const std::string form = TailKnobs::from_env().form;
  const bool mapped = A == 1 && (form == "mapped" || form == "mapped_loop"), loop = form == "mapped_loop";
  float *pin_in = hin.dev(), *pin_out = hout.dev();
  if (mapped)
    q.note = "SMA(20) + EMA(20) + Bollinger(20,2) + RSI(14) in one kernel reading its " + std::to_string(4 * n) +
             " B from and writing its 6 outputs to mapped pinned host memory (no copies)";
  q.issue = [&, o](cudaStream_t s, bool graph) {
    if (mapped) return launch_indicators_fused(pin_in, pin_out, A, kT, s, loop);
    CK(cudaMemcpyAsync(din.p, hin.p, 4 * n, cudaMemcpyHostToDevice, s));
    float* outs[4][3] = {{o}, {o + n}, {o + 2 * n, o + 3 * n, o + 4 * n}, {o + 5 * n}};
    const Ta kinds[4] = {Ta::Sma, Ta::Ema, Ta::Bollinger, Ta::Rsi};
    // In the graph the four independent kernels are parallel branches (fork/join); on a stream, in order.
    if (graph) br.fork(s);
    for (int i = 0; i < 4; ++i) launch_ta(kinds[i], din.p, outs[i], A, kT, graph && i ? br.side[i - 1] : s);
    if (graph) br.join(s);
    CK(cudaMemcpyAsync(hout.p, o, 24 * n, cudaMemcpyDeviceToHost, s));
  };
  q.poison = [&] { std::fill(hout.p, hout.p + 6 * n, std::nanf("")); };
  q.check = [&] {
    std::vector<Check> all;
    for (int i = 0; i < 6; ++i) all.push_back(check_rel_l2(hout.p + i * n, rp + i * n, n, i < 2 ? kBoundSmaEma : kBoundBbRsi));
    return worst(all);
  };
  q.cpu = [&] {
    float* co = cpu_out.data();
    sma_cpu<float>(tc.p.data(), co, 0, A, kT);
    ema_cpu<float>(tc.p.data(), co + n, 0, A, kT);
    bollinger_cpu<float>(tc.p.data(), co + 2 * n, co + 3 * n, co + 4 * n, 0, A, kT);
    rsi_cpu<float>(tc.p.data(), co + 5 * n, 0, A, kT);
  };
  run_request(c, k, q, graph);
}

void black_scholes(GpuCtx& c, const KernelInfo& k, int64_t n, bool graph) {
  BsCase bc;
  bc.make(n, c.o.seed, stream_of("lat_bs"));
  Pinned hin(3 * n), hout(2 * n);
  std::copy(bc.S.begin(), bc.S.begin() + n, hin.p);
  std::copy(bc.K.begin(), bc.K.begin() + n, hin.p + n);
  std::copy(bc.T.begin(), bc.T.begin() + n, hin.p + 2 * n);
  DevBuf<float> din(3 * n), dout(2 * n);
  std::vector<float> cc(n), cp(n);
  Request q;
  q.base = "lat_bs_" + std::to_string(n);
  q.size = {{"options", (double)n}};
  q.note = "H2D S,K,T (" + std::to_string(12 * n) + " B), Black-Scholes call+put, D2H (" + std::to_string(8 * n) + " B)";
  const bool mapped = n <= 1024 && TailKnobs::from_env().form != "copy";
  float *pin_in = hin.dev(), *pin_out = hout.dev();
  if (mapped)
    q.note = "Black-Scholes call+put reading S,K,T (" + std::to_string(12 * n) + " B) from and writing (" + std::to_string(8 * n) +
             " B) to mapped pinned host memory (no copies)";
  q.issue = [&](cudaStream_t s, bool) {
    if (mapped) return launch_bs(pin_in, pin_in + n, pin_in + 2 * n, pin_out, pin_out + n, n / 4, s);
    CK(cudaMemcpyAsync(din.p, hin.p, 12 * n, cudaMemcpyHostToDevice, s));
    launch_bs(din.p, din.p + n, din.p + 2 * n, dout.p, dout.p + n, n / 4, s);
    CK(cudaMemcpyAsync(hout.p, dout.p, 8 * n, cudaMemcpyDeviceToHost, s));
  };
  q.poison = [&] { std::fill(hout.p, hout.p + 2 * n, std::nanf("")); };
  q.check = [&] { return bc.check(hout.p, hout.p + n); };
  q.cpu = [&] { bs_cpu<float>(bc.S.data(), bc.K.data(), bc.T.data(), cc.data(), cp.data(), 0, n); };
  run_request(c, k, q, graph);
}

void value_at_risk(GpuCtx& c, const KernelInfo& k, bool graph) {
  VarCase vc;
  vc.make(1, kVarS, kVarA, c.o.seed, stream_of("lat_var"));
  DevBuf<float> R, dw(kVarA), pnl(kVarS), var(1);
  to_dev(R, vc.R, c.s);  // the scenarios stay resident; a request brings new weights
  Pinned hw(kVarA), hout(1);
  std::copy(vc.W.begin(), vc.W.end(), hw.p);
  const int kth = (int)std::floor(fin::kVarAlpha * kVarS);
  float cpu_var = 0;
  Request q;
  q.base = "lat_var_1";
  q.size = {{"portfolios", 1}, {"scenarios", (double)kVarS}, {"assets", (double)kVarA}};
  q.note = "H2D 512 weights, P&L over 4096 resident scenarios (GEMV) + 1% order statistic, D2H 4 B";
  q.issue = [&](cudaStream_t s, bool) {
    CK(cudaMemcpyAsync(dw.p, hw.p, 4 * kVarA, cudaMemcpyHostToDevice, s));
    var_gemv<<<kVarS / 8, 256, 0, s>>>(R.p, dw.p, pnl.p, kVarS, kVarA);
    CK_LAUNCH();
    var_select<<<1, 1024, 0, s>>>(pnl.p, kth, var.p);
    CK_LAUNCH();
    CK(cudaMemcpyAsync(hout.p, var.p, 4, cudaMemcpyDeviceToHost, s));
  };
  q.poison = [&] { hout.p[0] = std::nanf(""); };
  q.check = [&] { return vc.check(hout.p); };
  q.cpu = [&] { var_cpu<float>(vc.W.data(), vc.R.data(), &cpu_var, 0, 1, kVarS, kVarA); };
  run_request(c, k, q, graph);
}

}  // namespace

void gpu_lat_ind_1x1024_stream(GpuCtx& c, const KernelInfo& k) { indicators(c, k, 1, false); }
void gpu_lat_ind_1x1024_graph(GpuCtx& c, const KernelInfo& k) { indicators(c, k, 1, true); }
void gpu_lat_ind_64x1024_stream(GpuCtx& c, const KernelInfo& k) { indicators(c, k, 64, false); }
void gpu_lat_ind_64x1024_graph(GpuCtx& c, const KernelInfo& k) { indicators(c, k, 64, true); }
void gpu_lat_bs_1024_stream(GpuCtx& c, const KernelInfo& k) { black_scholes(c, k, 1024, false); }
void gpu_lat_bs_1024_graph(GpuCtx& c, const KernelInfo& k) { black_scholes(c, k, 1024, true); }
void gpu_lat_bs_65536_stream(GpuCtx& c, const KernelInfo& k) { black_scholes(c, k, 65536, false); }
void gpu_lat_bs_65536_graph(GpuCtx& c, const KernelInfo& k) { black_scholes(c, k, 65536, true); }
void gpu_lat_var_1_stream(GpuCtx& c, const KernelInfo& k) { value_at_risk(c, k, false); }
void gpu_lat_var_1_graph(GpuCtx& c, const KernelInfo& k) { value_at_risk(c, k, true); }
