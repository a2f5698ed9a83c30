// Compute suite, GEMM part: cuBLASLt (dlopen'ed) at fp32, tf32, fp16, bf16 and fp8 (sm_89+).
// flops = 2 n^3 per product. Checked on sampled entries against float64 dot products of the exact
// (already rounded) inputs, plus a NaN-coverage scan of the whole output.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include <cmath>
#include <cstring>

#include "check.hpp"
#include "fin_host.hpp"
#include "gemm.cuh"
#include "json.hpp"
#include "philox.hpp"
#include "suites.hpp"
#include "threads.hpp"

static void lt_check(int st, const char* what) {
  if (st != 0) throw CudaError(std::string("cuBLASLt status ") + std::to_string(st) + " in " + what);
}

void* lt_handle() {
  static void* h = nullptr;
  if (!h) {
    const lt::Api& a = lt::api();
    if (!a.ok) throw CudaError(a.error);
    lt_check(a.create(&h), "cublasLtCreate");
  }
  return h;
}

void LtPlan::init(int typeAB, int typeC, int compute, bool transA, int64_t m, int64_t n, int64_t k, int64_t lda, int64_t ldb, int64_t ldc) {
  const lt::Api& a = lt::api();
  void* h = lt_handle();
  lt_check(a.descCreate(&op, compute, scale_type), "MatmulDescCreate");
  int ta = transA ? lt::OP_T : lt::OP_N, tb = lt::OP_N;
  lt_check(a.descSetAttribute(op, lt::DESC_TRANSA, &ta, sizeof ta), "DescSetAttribute(TRANSA)");
  lt_check(a.descSetAttribute(op, lt::DESC_TRANSB, &tb, sizeof tb), "DescSetAttribute(TRANSB)");
  lt_check(a.layoutCreate(&la, typeAB, transA ? k : m, transA ? m : k, lda), "MatrixLayoutCreate(A)");
  lt_check(a.layoutCreate(&lb, typeAB, k, n, ldb), "MatrixLayoutCreate(B)");
  lt_check(a.layoutCreate(&lc, typeC, m, n, ldc), "MatrixLayoutCreate(C)");
  lt_check(a.prefCreate(&pref), "MatmulPreferenceCreate");
  ws.alloc(64ull << 20);
  uint64_t wsz = ws.bytes();
  lt_check(a.prefSetAttribute(pref, lt::PREF_MAX_WORKSPACE_BYTES, &wsz, sizeof wsz), "PreferenceSetAttribute");
  algos.resize(8);
  int got = 0;
  lt_check(a.algoGetHeuristic(h, op, la, lb, lc, lc, pref, (int)algos.size(), algos.data(), &got), "AlgoGetHeuristic");
  if (got <= 0) throw CudaError("cuBLASLt: no algorithm for this GEMM configuration");
  algos.resize(got);
}

void LtPlan::run(const void* A, const void* B, void* C, cudaStream_t s, int algo) {
  const float one = 1.f, zero = 0.f;
  const lt::HeuristicResult& r = algos[algo < 0 ? chosen : algo];
  lt_check(lt::api().matmul(lt_handle(), op, &one, A, la, B, lb, &zero, C, lc, C, lc, &r.algo, ws.p, ws.bytes(), s), "cublasLtMatmul");
}

void LtPlan::autotune(GpuCtx& c, const void* A, const void* B, void* C) {
  double best = 1e30;
  for (int i = 0; i < (int)algos.size(); ++i) {
    std::vector<double> t;
    try {
      t = time_events(
          c, [&] { run(A, B, C, c.s, i); }, 1, 3);
    } catch (const CudaError&) {
      cudaGetLastError();
      continue;
    }
    double m = median(t);
    if (m < best) {
      best = m;
      chosen = i;
    }
  }
}

LtPlan::~LtPlan() {
  const lt::Api& a = lt::api();
  if (!a.ok) return;
  if (pref) a.prefDestroy(pref);
  if (la) a.layoutDestroy(la);
  if (lb) a.layoutDestroy(lb);
  if (lc) a.layoutDestroy(lc);
  if (op) a.descDestroy(op);
}

namespace {
template <class T> __device__ T cvt(float v);
template <> __device__ float cvt<float>(float v) { return v; }
template <> __device__ __half cvt<__half>(float v) { return __float2half_rn(v); }
template <> __device__ __nv_bfloat16 cvt<__nv_bfloat16>(float v) { return __float2bfloat16_rn(v); }
template <> __device__ __nv_fp8_e4m3 cvt<__nv_fp8_e4m3>(float v) { return __nv_fp8_e4m3(v); }

template <class T> __global__ void gen_matrix(T* p, int64_t n, uint32_t k0, uint32_t k1) {
  const int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
  if (i >= n) return;
  U32x4 r = philox4x32_10({(uint32_t)i, (uint32_t)(i >> 32), 0, 0}, k0, k1);
  p[i] = cvt<T>(2.f * u01f(r.x) - 1.f);
}

// Host decoders of the stored element types.
double dec_f32(const void* p, int64_t i) { return static_cast<const float*>(p)[i]; }
double dec_f16(const void* p, int64_t i) {
  const uint16_t h = static_cast<const uint16_t*>(p)[i];
  const int s = h >> 15, e = (h >> 10) & 31, m = h & 1023;
  double v = e == 0 ? std::ldexp(m, -24) : (e == 31 ? NAN : std::ldexp(1024 + m, e - 25));
  return s ? -v : v;
}
double dec_bf16(const void* p, int64_t i) {
  const uint32_t b = static_cast<uint32_t>(static_cast<const uint16_t*>(p)[i]) << 16;
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}
double dec_e4m3(const void* p, int64_t i) {
  const uint8_t x = static_cast<const uint8_t*>(p)[i];
  const int s = x >> 7, e = (x >> 3) & 15, m = x & 7;
  if (e == 15 && m == 7) return NAN;
  double v = e == 0 ? std::ldexp(m, -9) : std::ldexp(8 + m, e - 10);
  return s ? -v : v;
}

struct Spec {
  const char* precision;
  int typeAB, typeC, compute, eab, ec;  // element sizes in bytes
  bool transA;
  double bound;
  double (*decA)(const void*, int64_t);
  double (*decC)(const void*, int64_t);
};

template <class TA> void gen(void* p, int64_t n, uint32_t k0, uint32_t k1, cudaStream_t s) {
  gen_matrix<TA><<<grid_for(n, 256), 256, 0, s>>>(static_cast<TA*>(p), n, k0, k1);
  CK_LAUNCH();
}

void run_gemm(GpuCtx& c, const KernelInfo& kd, const Spec& sp) {
  const int64_t n = c.o.sz.n;
  const int64_t nn = n * n;
  DevBuf<char> A(nn * sp.eab), B(nn * sp.eab), C(nn * sp.ec);
  const uint32_t k0 = key0(c.o.seed, stream_of(kd.name)), k1 = key1(c.o.seed, stream_of(kd.name));
  auto g = [&](void* p, uint32_t kk) {
    switch (sp.typeAB) {
      case lt::R_32F: gen<float>(p, nn, kk, k1, c.s); break;
      case lt::R_16F: gen<__half>(p, nn, kk, k1, c.s); break;
      case lt::R_16BF: gen<__nv_bfloat16>(p, nn, kk, k1, c.s); break;
      default: gen<__nv_fp8_e4m3>(p, nn, kk, k1, c.s); break;
    }
  };
  g(A.p, k0);
  g(B.p, k0 ^ 0x5bd1e995u);
  LtPlan plan;
  plan.init(sp.typeAB, sp.typeC, sp.compute, sp.transA, n, n, n, n, n, n);
  plan.autotune(c, A.p, B.p, C.p);
  poison(C.p, C.bytes(), c.s);
  plan.run(A.p, B.p, C.p, c.s);
  std::vector<char> hA, hB, hC;
  to_host_raw(hA, A.p, A.bytes(), c.s);
  to_host_raw(hB, B.p, B.bytes(), c.s);
  to_host_raw(hC, C.p, C.bytes(), c.s);
  // coverage: every output finite
  std::vector<int64_t> bad(cpu_threads(), 0);
  parallel_ranges(nn, [&](int64_t b, int64_t e, int w) {
    for (int64_t i = b; i < e; ++i) bad[w] += !std::isfinite(sp.decC(hC.data(), i));
  });
  int64_t nbad = 0;
  for (auto v : bad) nbad += v;
  // sampled entries against float64 dot products
  const int samples = 512;
  std::vector<float> got(samples);
  std::vector<double> ref(samples);
  parallel_for(samples, [&](int64_t s) {
    U32x4 r = philox4x32_10({(uint32_t)s, 0, 0, 0}, k0, 0x1234567u);
    const int64_t i = r.x % n, j = r.y % n;
    double acc = 0;
    for (int64_t k = 0; k < n; ++k) {
      const int64_t ai = sp.transA ? (k + i * n) : (i + k * n);
      acc += sp.decA(hA.data(), ai) * sp.decA(hB.data(), k + j * n);
    }
    ref[s] = acc;
    got[s] = static_cast<float>(sp.decC(hC.data(), i + j * n));
  });
  Result r = result_for(kd);
  r.precision = sp.precision;
  r.flops = 2.0 * n * n * n;
  r.bytes = 2.0 * nn * sp.eab + nn * sp.ec;
  r.check = check_rel_l2(got.data(), ref.data(), samples, sp.bound);
  if (nbad) {
    r.check.passed = false;
    r.check.error = INFINITY;
    r.check.detail = std::to_string(nbad) + " outputs not written or not finite";
  }
  fill_result(r, time_events(c, [&] { plan.run(A.p, B.p, C.p, c.s); }), r.flops, 1e12);
  r.size = {{"n", (double)n}};
  r.extra = {{"heuristicRank", (double)plan.chosen}, {"cublasLtVersion", (double)lt::api().version}};
  r.note = std::string("flops = 2 n^3; cuBLASLt ") + (sp.transA ? "TN" : "NN") +
           ", fastest of the heuristic's candidates; checked on 512 sampled entries vs float64";
  emit_result(r);
}
// Skips (not errors) when cuBLASLt cannot be loaded, and for fp8 below sm_89.
void gemm(GpuCtx& c, const KernelInfo& k, const Spec& sp, int min_cc = 0) {
  const int cc = c.prop.major * 10 + c.prop.minor;
  if (!lt::api().ok) {
    emit_skip(k.suite, k.name, "cuBLASLt unavailable: " + lt::api().error);
    return;
  }
  if (cc < min_cc) {
    emit_skip(k.suite, k.name, "no FP8 tensor cores on sm_" + std::to_string(cc) + " (needs sm_89+)");
    return;
  }
  run_gemm(c, k, sp);
}
}  // namespace

void gpu_gemm_fp32(GpuCtx& c, const KernelInfo& k) {
  gemm(c, k, {"fp32", lt::R_32F, lt::R_32F, lt::COMPUTE_32F, 4, 4, false, 1e-4, dec_f32, dec_f32});
}
void gpu_gemm_tf32(GpuCtx& c, const KernelInfo& k) {
  gemm(c, k, {"tf32", lt::R_32F, lt::R_32F, lt::COMPUTE_32F_FAST_TF32, 4, 4, false, 2e-3, dec_f32, dec_f32});
}
void gpu_gemm_fp16(GpuCtx& c, const KernelInfo& k) {
  gemm(c, k, {"fp16", lt::R_16F, lt::R_16F, lt::COMPUTE_32F, 2, 2, false, 2e-3, dec_f16, dec_f16});
}
void gpu_gemm_bf16(GpuCtx& c, const KernelInfo& k) {
  gemm(c, k, {"bf16", lt::R_16BF, lt::R_16BF, lt::COMPUTE_32F, 2, 2, false, 1e-2, dec_bf16, dec_bf16});
}
void gpu_gemm_fp8(GpuCtx& c, const KernelInfo& k) {
  gemm(c, k, {"fp8_e4m3", lt::R_8F_E4M3, lt::R_16BF, lt::COMPUTE_32F, 1, 2, true, 1e-2, dec_e4m3, dec_bf16}, 89);
}
