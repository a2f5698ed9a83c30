// Shared host-side types: options, sizes, results, the kernel registry (kernels.inc). No CUDA here.
#pragma once
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

struct Sizes {
  uint64_t bytes = 1ull << 30;  // memory suite: bytes per buffer
  int64_t n = 8192;             // GEMM m = n = k
  int64_t series = 4096, steps = 16384;
  int64_t options = 64ll << 20;  // Black-Scholes
  int64_t paths = 64ll << 20;    // Monte Carlo European
  int64_t asian_paths = 4ll << 20, asian_steps = 64;
  int64_t portfolios = 1024, scenarios = 4096, assets = 2048;
  int64_t grid_series = 256, grid_steps = 16384;
  // mean-variance step (issue 21): portfolios x returns x assets
  int64_t mv_portfolios = 1024, mv_returns = 4096, mv_assets = 512;
  uint64_t coll_max = 1ull << 30;  // collectives: largest message (8 B .. coll_max, x2)
  int64_t requests = 10000;        // latency: timed requests per variant
  int64_t seconds = 60;            // diag stress: duration (--quick 2)
  int64_t mem_pct = 95;            // diag memtest: percent of free memory tested (--quick 4)
};

struct Options {
  bool list = false, version = false, cpu = false, quick = false, cpu_compare = false;
  int repeat = -1, warmup = -1, device = 0;
  uint64_t seed = 20261122;
  std::set<std::string> suites;   // empty = all
  std::set<std::string> kernels;  // empty = all
  std::vector<int> gpus;          // --gpus: the GPUs links/collectives span (empty = --device only)
  std::string fault;              // --inject-fault (test only): mem_bitflip | stress_wrong
  std::string self_test;          // --self-test (test only): var_screen
  Sizes sz;
  bool selected(const std::string& suite, const std::string& name) const;
};

struct Check {
  bool passed = false;
  std::string metric = "rel_l2";
  double error = 0, bound = 0;
  std::string detail;  // why it failed (coverage, NaN ...)
};

struct CpuTiming {
  bool present = false;
  double median_ms = 0;    // scaled to the full size
  double measured_ms = 0;  // as measured on `fraction` of the work
  double fraction = 1;
  int threads = 1;
};

struct Result {
  std::string suite, name, unit, precision = "fp32", note;
  double value = 0, median_ms = 0, bytes = 0, flops = 0;
  std::vector<double> samples_ms;
  std::vector<std::pair<std::string, double>> size;
  Check check;
  CpuTiming cpu;
  std::vector<std::pair<std::string, double>> extra;  // kernel-specific numbers (price, stderr ...)
};

// Emits the result line, or the check_failed error line (and counts the failure) when the check failed.
void emit_result(const Result& r);

struct CpuRun;  // suites.hpp
// One row of kernels.inc. The GPU column is not here: gpu_main.cu expands it (the CPU-only build has none).
struct KernelInfo {
  const char* suite;
  const char* name;
  const char* unit;
  const char* description;
  void (*cpu)(const CpuRun&, const KernelInfo&);  // --cpu mode
};
const std::vector<KernelInfo>& kernel_registry();
const KernelInfo* find_kernel(const std::string& name);
std::vector<std::string> suite_names();  // in table order
// A result with the row's suite, name and unit set.
Result result_for(const KernelInfo& k);
// For rows that emit one result per GPU pair, message size or GPU: name = the row's name + "_" + instance.
Result result_for(const KernelInfo& k, const std::string& instance);
// A latency row's CPU forms in --cpu mode: the row's name less "_stream", + "_" + form (cpu1, cpuall).
Result result_for_cpu_request(const KernelInfo& k, const std::string& form);
// samples, median and value = work / median time / scale
void fill_result(Result& r, const std::vector<double>& samples, double work, double scale);

double median(std::vector<double> v);
int cpu_threads();

// Finance definitions shared by the CPU and GPU code (documented in docs/benchmarks.md).
namespace fin {
constexpr int kSmaN = 20, kEmaN = 20, kBbN = 20, kRsiN = 14;
constexpr float kBbK = 2.0f;
constexpr float kBsR = 0.02f, kBsV = 0.30f;
constexpr float kMcS0 = 100.f, kMcK = 100.f, kMcR = 0.02f, kMcV = 0.30f, kMcT = 1.0f;
constexpr double kVarAlpha = 0.01;  // 99% VaR: the floor(0.01*S)-th smallest P&L (0-based)
constexpr double kEsAlpha = 0.025;  // ES/CVaR 97.5%: minus the mean of the es_count(S) smallest P&L
constexpr int kFast[8] = {4, 6, 8, 10, 12, 16, 20, 24};
constexpr int kSlow[8] = {30, 40, 50, 60, 80, 100, 150, 200};
constexpr int kMaxWin = 200;
#if defined(__CUDACC__)
#define FIN_HD __host__ __device__
#else
#define FIN_HD
#endif
// max(1, floor(0.025 S)): the tail that ES averages
FIN_HD constexpr int64_t es_count(int64_t S) { return S >= 40 ? static_cast<int64_t>(kEsAlpha * static_cast<double>(S)) : 1; }
// kSlow[j] for device code (namespace-scope arrays are host-only)
FIN_HD constexpr int slow_window(int j) {
  return j == 0 ? 30 : j == 1 ? 40 : j == 2 ? 50 : j == 3 ? 60 : j == 4 ? 80 : j == 5 ? 100 : j == 6 ? 150 : 200;
}
constexpr float kCost = 1e-4f;  // backtest cost per unit of position change
// Backtest statistics per (series, fast, slow) over the n = T-1 step returns ret[t] (the PnL's terms): Sharpe =
// mean / population std x sqrt(252) (0 when the std is 0); the maximum drawdown is max over t of (the peak of the
// cumulative PnL up to t, 0 included) - cumulative PnL at t.
FIN_HD inline double sharpe_of(double sum, double sumsq, double n) {
  const double m = sum / n, v = sumsq / n - m * m;
  return v > 0 ? m / sqrt(v) * sqrt(252.0) : 0.0;
}
}  // namespace fin
