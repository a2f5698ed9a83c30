// Diag suite, sustained stress (issue 20): bf16 tensor-core GEMM (cuBLASLt, fp32 accumulate, n = --size n)
// plus a 256 MiB copy kernel, repeated for `seconds`. The first product is checked on 512 sampled entries
// against float64; every later iteration's product must equal it bit for bit (same algorithm, same inputs)
// and every copy must equal its source: a per-iteration compare on the GPU. --inject-fault stress_wrong
// changes one element of one iteration's product (test only). TFLOP/s = GEMM flops / wall time, all included.
#include <cuda_bf16.h>

#include <cmath>
#include <cstring>

#include "check.hpp"
#include "diag.cuh"
#include "gemm.cuh"
#include "json.hpp"
#include "philox.hpp"
#include "suites.hpp"
#include "threads.hpp"

namespace {
struct StressErr {
  unsigned long long mismatches, copy_mismatches;
  int first_bad;
};

__global__ void gen_bf16(__nv_bfloat16* p, int64_t n, uint32_t k0, uint32_t k1) {
  const int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
  if (i >= n) return;
  U32x4 r = philox4x32_10({(uint32_t)i, (uint32_t)(i >> 32), 0, 0}, k0, k1);
  p[i] = __float2bfloat16_rn(2.f * u01f(r.x) - 1.f);
}
// words of a and b must be equal; a mismatch counts and marks iteration `it` bad
__global__ void compare(const uint4* a, const uint4* b, int64_t n4, int it, unsigned long long* count, int* first_bad,
                        unsigned char* bad_it) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n4; i += (int64_t)gridDim.x * blockDim.x) {
    const uint4 x = __ldcs(a + i), y = __ldcs(b + i);
    if (x.x != y.x || x.y != y.y || x.z != y.z || x.w != y.w) {
      atomicAdd(count, 1ull);
      atomicMin(first_bad, it);
      bad_it[it] = 1;
    }
  }
}
__global__ void copy16(const uint4* __restrict__ s, uint4* __restrict__ d, int64_t n4) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n4; i += (int64_t)gridDim.x * blockDim.x)
    __stcs(d + i, __ldcs(s + i));
}
double dec(const std::vector<char>& h, int64_t i) {
  const uint32_t b = static_cast<uint32_t>(reinterpret_cast<const uint16_t*>(h.data())[i]) << 16;
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}
}  // namespace

void gpu_stress(GpuCtx& c, const KernelInfo& k) {
  if (!lt::api().ok) {
    emit_skip(k.suite, k.name, "cuBLASLt unavailable: " + lt::api().error);
    return;
  }
  const int64_t n = c.o.sz.n, nn = n * n, cn4 = (256ll << 20) / 16, kMaxIt = 1 << 22;
  DevBuf<__nv_bfloat16> A(nn), B(nn), C(nn), R(nn);
  DevBuf<uint4> src(cn4), dst(cn4);
  DevBuf<StressErr> e(1);
  DevBuf<unsigned char> bad(kMaxIt);
  const uint32_t k0 = key0(c.o.seed, 41), k1 = key1(c.o.seed, 41);
  gen_bf16<<<grid_for(nn, 256), 256, 0, c.s>>>(A.p, nn, k0, k1);
  gen_bf16<<<grid_for(nn, 256), 256, 0, c.s>>>(B.p, nn, k0 ^ 0x5bd1e995u, k1);
  gen_bf16<<<grid_for(cn4 * 8, 256), 256, 0, c.s>>>(reinterpret_cast<__nv_bfloat16*>(src.p), cn4 * 8, k1, k0);
  CK_LAUNCH();
  StressErr init{0, 0, 1 << 30};
  CK(cudaMemcpyAsync(e.p, &init, sizeof init, cudaMemcpyHostToDevice, c.s));
  CK(cudaMemsetAsync(bad.p, 0, kMaxIt, c.s));
  LtPlan plan;
  plan.init(lt::R_16BF, lt::R_16BF, lt::COMPUTE_32F, false, n, n, n, n, n, n);
  plan.autotune(c, A.p, B.p, R.p);
  poison(R.p, R.bytes(), c.s);
  plan.run(A.p, B.p, R.p, c.s);
  // the reference product R, checked once against float64 on sampled entries
  std::vector<char> hA, hB, hR;
  to_host_raw(hA, A.p, A.bytes(), c.s);
  to_host_raw(hB, B.p, B.bytes(), c.s);
  to_host_raw(hR, R.p, R.bytes(), c.s);
  const int samples = 512;
  std::vector<float> got(samples);
  std::vector<double> ref(samples);
  parallel_for(samples, [&](int64_t s) {
    U32x4 r = philox4x32_10({(uint32_t)s, 0, 0, 0}, k0, 0x1234567u);
    const int64_t i = r.x % n, j = r.y % n;
    double acc = 0;
    for (int64_t q = 0; q < n; ++q) acc += dec(hA, i + q * n) * dec(hB, q + j * n);
    ref[s] = acc;
    got[s] = static_cast<float>(dec(hR, i + j * n));
  });
  const Check refc = check_rel_l2(got.data(), ref.data(), samples, 1e-2);
  const int grid = c.prop.multiProcessorCount * 4;
  const double flops = 2.0 * n * n * n, t0 = now_ms(), limit = c.o.sz.seconds * 1e3;
  std::vector<double> window;  // TFLOP/s of each batch (about 0.25 s)
  int it = 0, batch = 4;
  while (now_ms() - t0 < limit && it + batch < kMaxIt) {
    const double b0 = now_ms();
    for (int b = 0; b < batch; ++b, ++it) {
      plan.run(A.p, B.p, C.p, c.s);
      if (c.o.fault == "stress_wrong" && it == 3) flip_bit(c, reinterpret_cast<uint32_t*>(C.p) + nn / 5, 1u << 3);
      compare<<<grid, 512, 0, c.s>>>(reinterpret_cast<const uint4*>(C.p), reinterpret_cast<const uint4*>(R.p), nn * 2 / 16, it,
                                     &e.p->mismatches, &e.p->first_bad, bad.p);
      copy16<<<grid, 512, 0, c.s>>>(src.p, dst.p, cn4);
      compare<<<grid, 512, 0, c.s>>>(dst.p, src.p, cn4, it, &e.p->copy_mismatches, &e.p->first_bad, bad.p);
      CK_LAUNCH();
    }
    CK(cudaStreamSynchronize(c.s));
    const double dt = now_ms() - b0;
    window.push_back(flops * batch / (dt * 1e-3) / 1e12);
    if (dt < 200 && batch < 4096) batch *= 2;
  }
  const double secs = (now_ms() - t0) / 1e3;
  StressErr h{};
  CK(cudaMemcpy(&h, e.p, sizeof h, cudaMemcpyDeviceToHost));
  std::vector<unsigned char> hb;
  to_host_raw(hb, bad.p, (size_t)it, c.s);
  int64_t bad_its = 0;
  for (auto v : hb) bad_its += v;
  auto avg = [&](size_t from, size_t to) {
    double s = 0;
    for (size_t i = from; i < to; ++i) s += window[i];
    return to > from ? s / (double)(to - from) : 0.0;
  };
  const size_t w = window.size(), tenth = std::max<size_t>(1, w / 10);
  const bool passed = refc.passed && bad_its == 0;
  JsonObj j;
  j.str("type", "diag").str("name", k.name).boolean("passed", passed).integer("iterations", it);
  j.integer("badIterations", bad_its).integer("firstBadIteration", bad_its ? h.first_bad : -1);
  j.integer("mismatches", (int64_t)h.mismatches).integer("copyMismatches", (int64_t)h.copy_mismatches);
  j.num("seconds", secs).num("tflops", flops * it / secs / 1e12).num("tflopsFirst", w > 1 ? avg(1, 1 + tenth) : avg(0, w));
  j.num("tflopsLast", avg(w - tenth, w)).integer("n", n).str("precision", "bf16");
  j.num("copyBytesPerIteration", 2.0 * cn4 * 16).boolean("referencePassed", refc.passed).num("referenceError", refc.error);
  if (!c.o.fault.empty()) j.str("faultInjected", c.o.fault);
  emit_line(j.done());
  if (!passed) {
    emit_error("check_failed", k.suite, k.name,
               refc.passed ? std::to_string(bad_its) + " of " + std::to_string(it) +
                                 " iterations gave a wrong result (first: " + std::to_string(h.first_bad) + ")"
                           : "reference product failed its float64 check: rel_l2 " + std::to_string(refc.error));
    count_failure();
  }
}
