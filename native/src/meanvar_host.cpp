// Host half of the mean-variance step (issue 21; definitions in meanvar.hpp): the float64 reference, the float32
// CPU form, the check, and the --cpu mode entry. The GPU half is quant_meanvar.cu.
#include <algorithm>
#include <cmath>
#include <string>

#include "check.hpp"
#include "fin_host.hpp"
#include "json.hpp"
#include "meanvar.hpp"
#include "suites.hpp"
#include "threads.hpp"

namespace {
// Eight partial sums, so the float form vectorises without reassociation flags.
template <class R> R dot(const R* a, const R* b, int64_t n) {
  R s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int u = 0; u < 8; ++u) s[u] += a[i + u] * b[i + u];
  R t = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  for (; i < n; ++i) t += a[i] * b[i];
  return t;
}
}  // namespace

template <class R> void meanvar_cpu(const float* X, int64_t T, int64_t N, R* w) {
  std::vector<R> m(static_cast<size_t>(N), R(0)), Xt(static_cast<size_t>(N * T)), S(static_cast<size_t>(N * N), R(0));
  for (int64_t t = 0; t < T; ++t)
    for (int64_t a = 0; a < N; ++a) m[a] += X[t * N + a];
  for (int64_t a = 0; a < N; ++a) m[a] /= R(T);
  for (int64_t t = 0; t < T; ++t)  // centred, asset-major: each asset's T returns contiguous
    for (int64_t a = 0; a < N; ++a) Xt[a * T + t] = R(X[t * N + a]) - m[a];
  const R inv = R(1) / R(T - 1);
  constexpr int64_t B = 16;  // lower triangle in 16 x 16 blocks (32 rows of T returns stay in cache)
  for (int64_t i0 = 0; i0 < N; i0 += B)
    for (int64_t j0 = 0; j0 <= i0; j0 += B)
      for (int64_t i = i0; i < std::min(i0 + B, N); ++i)
        for (int64_t j = j0; j <= std::min(i, j0 + B - 1); ++j) S[i * N + j] = dot(&Xt[i * T], &Xt[j * T], T) * inv;
  // Cholesky in place (row by row, L in the lower triangle), then L z = 1 and L' y = z.
  for (int64_t i = 0; i < N; ++i)
    for (int64_t j = 0; j <= i; ++j) {
      const R s = S[i * N + j] - dot(&S[i * N], &S[j * N], j);
      S[i * N + j] = i == j ? std::sqrt(s) : s / S[j * N + j];
    }
  std::vector<R> y(static_cast<size_t>(N));
  for (int64_t i = 0; i < N; ++i) y[i] = (R(1) - dot(&S[i * N], y.data(), i)) / S[i * N + i];
  for (int64_t i = N - 1; i >= 0; --i) {
    y[i] /= S[i * N + i];
    for (int64_t k = 0; k < i; ++k) y[k] -= S[i * N + k] * y[i];
  }
  R sum = 0;
  for (int64_t a = 0; a < N; ++a) sum += y[a];
  for (int64_t a = 0; a < N; ++a) w[a] = y[a] / sum;
}
template void meanvar_cpu<float>(const float*, int64_t, int64_t, float*);
template void meanvar_cpu<double>(const float*, int64_t, int64_t, double*);

void MeanVarCase::setup(int64_t p, int64_t t, int64_t n, uint64_t seed, uint32_t stream) {
  P = p;
  T = t;
  N = n;
  k0 = key0(seed, stream);
  k1 = key1(seed, stream);
  const int64_t k = std::min(P, mv::kSubset);
  sub.resize(static_cast<size_t>(k));
  for (int64_t i = 0; i < k; ++i) sub[i] = k > 1 ? i * (P - 1) / (k - 1) : 0;
}

void MeanVarCase::generate() {
  const int64_t k = static_cast<int64_t>(sub.size()), Q = N / 4;
  R.resize(static_cast<size_t>(k * T * N));
  parallel_for(k * T, [&](int64_t row) {
    const int64_t i = row / T, t = row % T;
    float* out = &R[static_cast<size_t>(row * N)];
    for (int64_t q = 0; q < Q; ++q) {
      float r4[4];
      mv::returns4(static_cast<uint32_t>(sub[i]), static_cast<uint32_t>(t), static_cast<uint32_t>(q), k0, k1, r4);
      for (int j = 0; j < 4; ++j) out[4 * q + j] = r4[j];
    }
  });
}

void MeanVarCase::reference() {
  const int64_t k = static_cast<int64_t>(sub.size());
  wref.assign(static_cast<size_t>(k * N), 0);
  parallel_for(k, [&](int64_t i) { meanvar_cpu<double>(&R[static_cast<size_t>(i * T * N)], T, N, &wref[static_cast<size_t>(i * N)]); });
}

Check MeanVarCase::check(const float* w_sub, const float* w_all) const {
  Check c = check_rel_l2(w_sub, wref.data(), static_cast<int64_t>(wref.size()), mv::kBoundW);
  if (!c.passed || !w_all) return c;
  int64_t bad = 0;
  double worst = 0;
  for (int64_t p = 0; p < P; ++p) {
    double s = 0;
    for (int64_t a = 0; a < N; ++a) s += w_all[p * N + a];
    if (!std::isfinite(s) || std::fabs(s - 1) > mv::kBoundSum) ++bad;
    if (std::isfinite(s)) worst = std::max(worst, std::fabs(s - 1));
  }
  if (bad) {
    c.passed = false;
    c.detail = std::to_string(bad) + " of " + std::to_string(P) + " portfolios' weights do not sum to 1 (worst |sum - 1| " +
               std::to_string(worst) + ", or not finite)";
  }
  return c;
}

void MeanVarCase::cpu(float* w_sub) const {
  parallel_for(static_cast<int64_t>(sub.size()),
               [&](int64_t i) { meanvar_cpu<float>(&R[static_cast<size_t>(i * T * N)], T, N, &w_sub[static_cast<size_t>(i * N)]); });
}

// --cpu mode: the float32 CPU form on the subset of portfolios (kSubset of them: the full batch is 8.6 GB of
// returns at the default size), timed on the subset and reported as such (size mv_portfolios = the subset).
void cpu_meanvar(const CpuRun& run, const KernelInfo& k) {
  const Sizes& z = run.o.sz;
  MeanVarCase c;
  c.setup(z.mv_portfolios, z.mv_returns, z.mv_assets, run.o.seed, stream_of(k.name));
  c.generate();
  c.reference();
  const int64_t n = static_cast<int64_t>(c.sub.size());
  std::vector<float> w(static_cast<size_t>(n * c.N), std::nanf(""));
  std::vector<double> samples;
  time_cpu([&] { c.cpu(w.data()); }, 1.0, run.warmup, run.repeat, &samples);
  Result r = result_for(k);
  r.check = c.check(w.data(), nullptr);
  r.flops = c.flops(n);
  r.bytes = 4.0 * n * (c.T * c.N + c.N);
  fill_result(r, samples, r.flops, 1e12);
  r.size = {{"mv_portfolios", double(n)}, {"mv_returns", double(c.T)}, {"mv_assets", double(c.N)}};
  r.extra = {{"portfoliosRequested", double(c.P)}};
  r.note = "CPU implementation (std::thread, one portfolio per thread, wall-clock samples) on " + std::to_string(n) + " of the " +
           std::to_string(c.P) + " portfolios; float32 covariance (lower triangle), Cholesky, two triangular solves";
  emit_result(r);
}
