// The batched mean-variance step (issue 21): definitions, inputs, the float64 reference, the float32 CPU form and
// the check. No CUDA here (the inputs' generator is host and device code); the GPU half is quant_meanvar.cu.
//
// P portfolios, each T returns of N assets, time-major: R[p][t][a] (one day's returns of all assets contiguous).
//   m[a] = mean over t of R[t][a];  S = (R - m)'(R - m) / (T - 1)  (sample covariance, N x N, symmetric)
//   minimum-variance weights (fully invested, short sales allowed): w = S^-1 1 / (1' S^-1 1)
// Method: Cholesky, S = L L' (L lower), then L z = 1 and L' y = z (two triangular solves), w = y / sum(y).
// Inputs: a 3-factor model, r = 5e-4 + 0.01 (0.6 (b0 f0 + b1 f1 + b2 f2) + 0.8 s e), market loadings b0 in
// [0.5, 1.5], the others in [-0.5, 0.5], idiosyncratic scale s in [0.5, 1.5], f and e standard normal: a
// covariance of condition number ~1.7e3 at 4096 x 512 (numpy, float64), so the weights are well defined.
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

#include "common.hpp"
#include "philox.hpp"

namespace mv {
// rel_l2 of the weights against float64. Measured with numpy at 4096 x 512 on these inputs: float32 ~2e-6,
// operands rounded to tf32 ~1.5e-4 (so a tf32 covariance would not pass this bound).
constexpr double kBoundW = 1e-4;
constexpr double kBoundSum = 1e-4;        // |sum(w) - 1| on every portfolio (also: every weight written, finite)
constexpr int64_t kSubset = 16;           // portfolios checked against float64 and run by the CPU form
constexpr int kTile = 128, kMaxN = 1024;  // the GPU's covariance tile; the Cholesky kernel's largest N

GB_HD void normal2(uint32_t a, uint32_t b, float* z0, float* z1) {
  const float r = sqrtf(-2.0f * logf(u01f(a))), h = 2.0f * (u01f(b) - 0.5f);  // angle pi h, h in (-1, 1)
  float sn, cs;
#if defined(__CUDA_ARCH__)
  sincospif(h, &sn, &cs);  // no large-argument reduction (which would take local memory)
#else
  sn = sinf(3.14159265f * h);
  cs = cosf(3.14159265f * h);
#endif
  *z0 = r * cs;
  *z1 = r * sn;
}

// Returns R[p][t][4q .. 4q+3] from the counters alone (any subset can be regenerated anywhere).
GB_HD void returns4(uint32_t p, uint32_t t, uint32_t q, uint32_t k0, uint32_t k1, float (&r)[4]) {
  const U32x4 fu = philox4x32_10({t, p, 7u, 0u}, k0, k1), eu = philox4x32_10({q, t, p, 9u}, k0, k1);
  float f0, f1, f2, f3, e[4];
  normal2(fu.x, fu.y, &f0, &f1);
  normal2(fu.z, fu.w, &f2, &f3);
  normal2(eu.x, eu.y, &e[0], &e[1]);
  normal2(eu.z, eu.w, &e[2], &e[3]);
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
  for (int j = 0; j < 4; ++j) {
    const U32x4 b = philox4x32_10({4u * q + j, p, 8u, 0u}, k0, k1);
    const float b0 = 0.5f + u01f(b.x), b1 = u01f(b.y) - 0.5f, b2 = u01f(b.z) - 0.5f, s = 0.5f + u01f(b.w);
    r[j] = 5e-4f + 0.01f * (0.6f * (b0 * f0 + b1 * f1 + b2 * f2) + 0.8f * s * e[j]);
  }
}
}  // namespace mv

struct MeanVarCase {
  int64_t P = 0, T = 0, N = 0;
  uint32_t k0 = 0, k1 = 0;
  std::vector<int64_t> sub;  // the subset: kSubset portfolios spread over [0, P), the first and the last among them
  std::vector<float> R;      // the subset's returns, sub.size() x T x N (copied from the GPU, or generated here)
  std::vector<double> wref;  // the subset's float64 weights
  void setup(int64_t P, int64_t T, int64_t N, uint64_t seed, uint32_t stream);
  void generate();   // R on the host (--cpu mode)
  void reference();  // wref from R
  // One triangle of the covariance (N(N+1)/2 entries x T multiply-adds), the means, the Cholesky (N^3/3) and the
  // two solves (2 N^2), per portfolio.
  double flops(int64_t portfolios) const {
    return double(portfolios) * (double(N) * (N + 1) * T + double(N) * T + double(N) * N * N / 3.0 + 2.0 * double(N) * N);
  }
  double bytes() const { return 4.0 * P * (T * N + N); }  // returns read once, weights written
  // w_sub: the subset's weights (sub.size() x N); w_all: every portfolio's (P x N) for the sum rule, or null.
  Check check(const float* w_sub, const float* w_all) const;
  void cpu(float* w_sub) const;  // the float32 CPU form over the subset, one thread per portfolio
};

// One portfolio: X is T x N (time-major); w gets N weights. R = double: the reference; R = float: the CPU form.
template <class R> void meanvar_cpu(const float* X, int64_t T, int64_t N, R* w);
