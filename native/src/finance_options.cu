// Finance suite, options: Black-Scholes (one float4 of options per thread, 16-byte loads/stores; CND by
// the Abramowitz-Stegun polynomial as in NVIDIA's sample, |error| < 7.5e-8), Monte Carlo European and
// arithmetic Asian calls with in-kernel Philox4x32-10 (Box-Muller normals), block sums in float, partial
// sums in double, a final one-block reduction inside the timed region.
#include <cmath>

#include "check.hpp"
#include "cluster.cuh"
#include "fin_host.hpp"
#include "gpu.cuh"
#include "json.hpp"
#include "philox.hpp"
#include "suites.hpp"

namespace {
__device__ __forceinline__ float cnd(float d) {
  const float A1 = 0.31938153f, A2 = -0.356563782f, A3 = 1.781477937f, A4 = -1.821255978f, A5 = 1.330274429f;
  const float RSQRT2PI = 0.39894228040143267794f;
  const float K = __fdividef(1.0f, 1.0f + 0.2316419f * fabsf(d));
  float c = RSQRT2PI * __expf(-0.5f * d * d) * (K * (A1 + K * (A2 + K * (A3 + K * (A4 + K * A5)))));
  return d > 0 ? 1.0f - c : c;
}

__device__ __forceinline__ void bs1(float S, float X, float T, float& call, float& put) {
  const float r = fin::kBsR, v = fin::kBsV;
  const float sqrtT = sqrtf(T);
  const float d1 = __fdividef(__logf(__fdividef(S, X)) + (r + 0.5f * v * v) * T, v * sqrtT);
  const float d2 = d1 - v * sqrtT;
  const float c1 = cnd(d1), c2 = cnd(d2);
  const float ex = X * __expf(-r * T);
  call = S * c1 - ex * c2;
  put = ex * (1.0f - c2) - S * (1.0f - c1);
}

__global__ __launch_bounds__(256) void bs_kernel(const float4* __restrict__ S, const float4* __restrict__ X, const float4* __restrict__ T,
                                                 float4* __restrict__ call, float4* __restrict__ put, int64_t n4) {
  const int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
  if (i >= n4) return;
  const float4 s = __ldcs(S + i), x = __ldcs(X + i), t = __ldcs(T + i);
  float4 c, p;
  bs1(s.x, x.x, t.x, c.x, p.x);
  bs1(s.y, x.y, t.y, c.y, p.y);
  bs1(s.z, x.z, t.z, c.z, p.z);
  bs1(s.w, x.w, t.w, c.w, p.w);
  __stcs(call + i, c);
  __stcs(put + i, p);
}

}  // namespace

// Also used by the latency suite (cluster.cuh): n4 groups of 4 options.
void launch_bs(const float* S, const float* X, const float* T, float* call, float* put, int64_t n4, cudaStream_t s) {
  bs_kernel<<<grid_for(n4, 256), 256, 0, s>>>(reinterpret_cast<const float4*>(S), reinterpret_cast<const float4*>(X),
                                              reinterpret_cast<const float4*>(T), reinterpret_cast<float4*>(call),
                                              reinterpret_cast<float4*>(put), n4);
  CK_LAUNCH();
}

namespace {
__device__ __forceinline__ void bm(uint32_t a, uint32_t b, float& z0, float& z1) {
  const float rad = sqrtf(-2.0f * __logf(u01f(a)));
  float s, c;
  __sincosf(6.2831853f * (u01f(b) - 0.5f), &s, &c);
  z0 = rad * c;
  z1 = rad * s;
}

// Block sum of (a, b) in float; thread 0 writes doubles.
__device__ void block_sum2(float a, float b, double* out) {
  __shared__ float sa[32], sb[32];
  for (int o = 16; o; o >>= 1) {
    a += __shfl_xor_sync(0xffffffffu, a, o);
    b += __shfl_xor_sync(0xffffffffu, b, o);
  }
  const int lane = threadIdx.x & 31, w = threadIdx.x >> 5, nw = blockDim.x >> 5;
  if (lane == 0) {
    sa[w] = a;
    sb[w] = b;
  }
  __syncthreads();
  if (threadIdx.x == 0) {
    double da = 0, db = 0;
    for (int i = 0; i < nw; ++i) {
      da += sa[i];
      db += sb[i];
    }
    out[0] = da;
    out[1] = db;
  }
}

__global__ __launch_bounds__(256) void mc_euro_kernel(int64_t paths, uint32_t k0, uint32_t k1, float drift, float vol, double* partial) {
  const int64_t groups = (paths + 3) / 4;
  float sum = 0.f, sq = 0.f;
  for (int64_t g = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; g < groups; g += (int64_t)gridDim.x * blockDim.x) {
    const U32x4 r = philox4x32_10({(uint32_t)g, (uint32_t)(g >> 32), 0, 0}, k0, k1);
    float z[4];
    bm(r.x, r.y, z[0], z[1]);
    bm(r.z, r.w, z[2], z[3]);
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      const float st = fin::kMcS0 * __expf(fmaf(vol, z[j], drift));
      const float pay = (4 * g + j < paths) ? fmaxf(st - fin::kMcK, 0.f) : 0.f;
      sum += pay;
      sq = fmaf(pay, pay, sq);
    }
  }
  block_sum2(sum, sq, partial + 2 * blockIdx.x);
}

__global__ __launch_bounds__(256) void mc_asian_kernel(int64_t paths, int steps, uint32_t k0, uint32_t k1, float drift, float vol,
                                                       double* partial) {
  float sum = 0.f, sq = 0.f;
  const float inv_steps = 1.0f / steps;
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < paths; i += (int64_t)gridDim.x * blockDim.x) {
    float s = fin::kMcS0, acc = 0.f;
    for (int k = 0; k < steps; k += 4) {
      const U32x4 r = philox4x32_10({(uint32_t)i, (uint32_t)(i >> 32), (uint32_t)(k >> 2), 0}, k0, k1);
      float z[4];
      bm(r.x, r.y, z[0], z[1]);
      bm(r.z, r.w, z[2], z[3]);
#pragma unroll
      for (int j = 0; j < 4; ++j) {
        if (k + j < steps) {
          s *= __expf(fmaf(vol, z[j], drift));
          acc += s;
        }
      }
    }
    const float pay = fmaxf(acc * inv_steps - fin::kMcK, 0.f);
    sum += pay;
    sq = fmaf(pay, pay, sq);
  }
  block_sum2(sum, sq, partial + 2 * blockIdx.x);
}

__global__ void reduce_partials(const double* partial, int n, double* out) {
  double a = 0, b = 0;
  for (int i = threadIdx.x; i < n; i += blockDim.x) {
    a += partial[2 * i];
    b += partial[2 * i + 1];
  }
  __shared__ double sa[256], sb[256];
  sa[threadIdx.x] = a;
  sb[threadIdx.x] = b;
  __syncthreads();
  for (int o = blockDim.x / 2; o; o >>= 1) {
    if ((int)threadIdx.x < o) {
      sa[threadIdx.x] += sa[threadIdx.x + o];
      sb[threadIdx.x] += sb[threadIdx.x + o];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    out[0] = sa[0];
    out[1] = sb[0];
  }
}

void run_bs(GpuCtx& c, const KernelInfo& kd) {
  BsCase bc;
  bc.make(c.o.sz.options, c.o.seed, stream_of(kd.name));
  const int64_t n4 = (int64_t)bc.S.size() / 4;
  DevBuf<float> S, X, T, call(4 * n4), put(4 * n4);
  to_dev(S, bc.S, c.s);
  to_dev(X, bc.K, c.s);
  to_dev(T, bc.T, c.s);
  auto f = [&] {
    bs_kernel<<<grid_for(n4, 256), 256, 0, c.s>>>(reinterpret_cast<const float4*>(S.p), reinterpret_cast<const float4*>(X.p),
                                                  reinterpret_cast<const float4*>(T.p), reinterpret_cast<float4*>(call.p),
                                                  reinterpret_cast<float4*>(put.p), n4);
    CK_LAUNCH();
  };
  poison(call.p, call.bytes(), c.s);
  poison(put.p, put.bytes(), c.s);
  f();
  std::vector<float> hc, hp;
  to_host(hc, call, c.s);
  to_host(hp, put, c.s);
  Result r = result_for(kd);
  r.check = bc.check(hc.data(), hp.data());
  r.bytes = bc.bytes();
  fill_result(r, time_events(c, f), r.bytes, 1e9);
  const double fr = cpu_fraction(c.o);
  const int64_t i1 = std::max<int64_t>(4, (int64_t)(bc.n * fr) / 4 * 4);
  r.cpu = time_cpu([&] { bc.cpu(i1, hc.data(), hp.data()); }, (double)i1 / bc.n, 1, 3);
  r.size = {{"options", (double)bc.n}};
  r.extra = {{"mopts", bc.n / (r.median_ms * 1e-3) / 1e6}};
  r.note = "bytes = 3 inputs read + 2 outputs written (20 B/option); call and put, r=0.02, v=0.30";
  emit_result(r);
}

void run_mc(GpuCtx& c, const KernelInfo& kd, bool asian) {
  using namespace fin;
  const int64_t paths = asian ? c.o.sz.asian_paths : c.o.sz.paths;
  const int steps = (int)c.o.sz.asian_steps;
  const int blocks = c.prop.multiProcessorCount * 8;
  DevBuf<double> partial(2 * blocks), sums(2);
  const uint32_t k0 = key0(c.o.seed, asian ? 8 : 7), k1 = key1(c.o.seed, asian ? 8 : 7);
  const float dt = asian ? kMcT / steps : kMcT;
  const float drift = (kMcR - 0.5f * kMcV * kMcV) * dt, vol = kMcV * std::sqrt(dt);
  auto f = [&] {
    if (asian) mc_asian_kernel<<<blocks, 256, 0, c.s>>>(paths, steps, k0, k1, drift, vol, partial.p);
    else mc_euro_kernel<<<blocks, 256, 0, c.s>>>(paths, k0, k1, drift, vol, partial.p);
    CK_LAUNCH();
    reduce_partials<<<1, 256, 0, c.s>>>(partial.p, blocks, sums.p);
    CK_LAUNCH();
  };
  poison(partial.p, partial.bytes(), c.s);
  poison(sums.p, sums.bytes(), c.s);
  f();
  std::vector<double> h;
  to_host(h, sums, c.s);
  McSums ms;
  ms.sum = h[0];
  ms.sumsq = h[1];
  ms.n = paths;
  const double disc = std::exp(-(double)kMcR * kMcT);
  const McEstimate e = mc_estimate(ms, disc);
  Result r = result_for(kd);
  double expected = 0, expected_se = 0;
  if (asian) {
    const McEstimate ref = asian_reference_cv(c.o.seed, std::min<int64_t>(paths, 1 << 20), steps, cpu_threads());
    expected = ref.price;
    expected_se = ref.se;
  } else {
    expected = mc_european_expected();
  }
  r.check = check_ci(e.price, e.se, expected, expected_se, kBoundCi);
  // ~ flops per path: European 4 (exp argument, payoff), Asian 3 per step; Philox is integer work
  r.flops = asian ? 3.0 * paths * steps : 4.0 * paths;
  fill_result(r, time_events(c, f), (double)paths, 1e6);
  const double fr = cpu_fraction(c.o);
  const int64_t sub = std::max<int64_t>(1024, (int64_t)(paths * fr));
  r.cpu = time_cpu([&] { asian ? mc_asian_cpu_parallel(c.o.seed, steps, sub) : mc_european_cpu_parallel(c.o.seed, sub); },
                   (double)sub / paths, 1, 3);
  if (asian) r.size = {{"asian_paths", (double)paths}, {"asian_steps", (double)steps}};
  else r.size = {{"paths", (double)paths}};
  r.extra = {{"price", e.price}, {"stderr", e.se}, {"expected", expected}};
  if (asian) r.extra.push_back({"expectedStderr", expected_se});
  r.note = asian ? "arithmetic Asian call S0=K=100 r=0.02 v=0.30 T=1; checked against an independent float64 MC "
                   "with geometric-average control variate (z-score)"
                 : "European call S0=K=100 r=0.02 v=0.30 T=1; checked against the analytic Black-Scholes price (z-score)";
  emit_result(r);
}
}  // namespace

void gpu_black_scholes(GpuCtx& c, const KernelInfo& k) { run_bs(c, k); }
void gpu_mc_european(GpuCtx& c, const KernelInfo& k) { run_mc(c, k, false); }
void gpu_mc_asian(GpuCtx& c, const KernelInfo& k) { run_mc(c, k, true); }
