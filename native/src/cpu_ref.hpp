// CPU side of the finance suite: input generation, float64 references and the multi-threaded float32
// CPU implementations (the same templates instantiated with R = double and R = float). No CUDA here.
#pragma once
#include <cstdint>
#include <vector>

// ---- inputs (counter-based Philox, so any subset can be regenerated anywhere) ----
// Geometric random walks: p[a][0] = 50..150, log-step ~ N(0, 0.01^2). Series-major, p[a*T + t].
void gen_series(std::vector<float>& p, int64_t A, int64_t T, uint64_t seed, uint32_t stream);
// Black-Scholes inputs as in NVIDIA's sample: S in [5,30], K in [1,100], T in [0.25,10]; padded to 4.
void gen_options(std::vector<float>& S, std::vector<float>& K, std::vector<float>& T, int64_t n, uint64_t seed, uint32_t stream);
// VaR: weights W[P][A] (uniform, sum ~1 per portfolio), scenario returns R[S][A] (one market factor +
// idiosyncratic normal, 1% daily scale).
void gen_var_inputs(std::vector<float>& W, std::vector<float>& R, int64_t P, int64_t S, int64_t A, uint64_t seed, uint32_t stream);

// ---- technical indicators over series [a0, a1), each series T steps ----
template <class R> void sma_cpu(const float* p, R* out, int64_t a0, int64_t a1, int64_t T);
template <class R> void ema_cpu(const float* p, R* out, int64_t a0, int64_t a1, int64_t T);
template <class R> void bollinger_cpu(const float* p, R* mid, R* up, R* lo, int64_t a0, int64_t a1, int64_t T);
template <class R> void rsi_cpu(const float* p, R* out, int64_t a0, int64_t a1, int64_t T);

// ---- options ----
template <class R> void bs_cpu(const float* S, const float* K, const float* T, R* call, R* put, int64_t i0, int64_t i1);
double bs_call(double S, double K, double r, double v, double T);

struct McSums {
  double sum = 0, sumsq = 0;
  int64_t n = 0;
};
struct McEstimate {
  double price = 0, se = 0;
};
McEstimate mc_estimate(const McSums& s, double discount);
// float32 path arithmetic as in the GPU kernels (same Philox stream), paths [p0, p1)
McSums mc_european_cpu(uint64_t seed, int64_t p0, int64_t p1);
McSums mc_asian_cpu(uint64_t seed, int64_t steps, int64_t p0, int64_t p1);
// float64 Asian reference: independent Philox stream, geometric-average control variate.
McEstimate asian_reference_cv(uint64_t seed, int64_t paths, int64_t steps, int threads);
double geometric_asian_call(double S0, double K, double r, double v, double T, int64_t m);

// ---- risk ----
// VaR for portfolios [p0, p1): pnl = W R^T (accumulated in R), VaR = -(floor(alpha*S)-th smallest pnl);
// es: ES 97.5% instead, -(mean of the k = max(1, floor(0.025*S)) smallest pnl).
template <class R> void var_cpu(const float* W, const float* Rt, R* var, int64_t p0, int64_t p1, int64_t S, int64_t A, bool es = false);
// MA-crossover backtest, series [a0, a1): pnl, Sharpe and maximum drawdown [a][f][s] (8 x 8). Decisions use exact
// float64 window sums.
template <class R> void backtest_cpu(const float* p, R* pnl, R* sharpe, R* mdd, int64_t a0, int64_t a1, int64_t T);
