// --cpu mode: the multi-threaded CPU implementations (the CPU column of kernels.inc), timed with a wall
// clock and checked against the float64 references. No CUDA API is touched in this file or anything it
// calls.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "check.hpp"
#include "fin_host.hpp"
#include "json.hpp"
#include "philox.hpp"
#include "suites.hpp"
#include "threads.hpp"

namespace {
const char* kCpuNote = "CPU implementation (std::thread, wall-clock samples)";

void poison(std::vector<float>& v) {
  const float nan = std::nanf("");
  parallel_ranges(static_cast<int64_t>(v.size()), [&](int64_t b, int64_t e, int) { std::fill(v.begin() + b, v.begin() + e, nan); });
}

// Host-memory copy (memcpy per thread range) or STREAM triad over o.sz.bytes per buffer.
void cpu_memory(const CpuRun& run, const KernelInfo& k, bool triad) {
  const int64_t n = static_cast<int64_t>(run.o.sz.bytes / 4);
  std::vector<float> a(n), b(n), c(n);
  parallel_for(n, [&](int64_t i) {
    b[i] = 1.0f + u01f(static_cast<uint32_t>(i * 2654435761u));
    c[i] = 2.0f + u01f(static_cast<uint32_t>(i * 40503u + 7));
  });
  const float s = 3.0f;
  auto body = [&] {
    parallel_ranges(n, [&](int64_t lo, int64_t hi, int) {
      if (triad)
        for (int64_t i = lo; i < hi; ++i) a[i] = b[i] + s * c[i];
      else std::memcpy(a.data() + lo, b.data() + lo, 4 * (hi - lo));
    });
  };
  poison(a);
  body();
  Result r = result_for(k);
  r.check.metric = "max_abs";
  r.check.bound = 0;
  double err = 0;
  int64_t bad = 0;
  for (int64_t i = 0; i < n; ++i) {
    const float want = triad ? b[i] + s * c[i] : b[i];
    if (!std::isfinite(a[i])) ++bad;
    else err = std::max(err, static_cast<double>(std::fabs(a[i] - want)));
  }
  r.check.error = bad ? INFINITY : err;
  r.check.passed = bad == 0 && err == 0;
  std::vector<double> samples;
  time_cpu(body, 1.0, run.warmup, run.repeat, &samples);
  r.bytes = (triad ? 3.0 : 2.0) * 4 * n;
  fill_result(r, samples, r.bytes, 1e9);
  r.size = {{"bytes", 4.0 * n}};
  r.note = std::string("host memory, bytes = read + written; ") + kCpuNote;
  emit_result(r);
}

Result finance_result(const KernelInfo& k) {
  Result r = result_for(k);
  r.note = kCpuNote;
  return r;
}

void cpu_ta(const CpuRun& run, const KernelInfo& k, Ta kind) {
  TaCase c;
  c.make(kind, run.o.sz.series, run.o.sz.steps, run.o.seed, stream_of(k.name));
  std::vector<float> out[3];
  float* ptr[3] = {nullptr, nullptr, nullptr};
  for (int i = 0; i < c.nout(); ++i) {
    out[i].resize(static_cast<size_t>(c.A * c.T));
    poison(out[i]);
    ptr[i] = out[i].data();
  }
  std::vector<double> samples;
  time_cpu([&] { c.cpu(c.A, ptr); }, 1.0, run.warmup, run.repeat, &samples);
  Result r = finance_result(k);
  r.check = c.check(ptr);
  r.bytes = c.bytes();
  fill_result(r, samples, r.bytes, 1e9);
  r.size = {{"series", double(c.A)}, {"steps", double(c.T)}};
  emit_result(r);
}
}  // namespace

void cpu_gpu_only(const CpuRun&, const KernelInfo& k) { emit_skip(k.suite, k.name, "GPU-only kernel: not run in --cpu mode"); }

void cpu_d2d_copy(const CpuRun& run, const KernelInfo& k) { cpu_memory(run, k, false); }
void cpu_triad(const CpuRun& run, const KernelInfo& k) { cpu_memory(run, k, true); }
void cpu_sma(const CpuRun& run, const KernelInfo& k) { cpu_ta(run, k, Ta::Sma); }
void cpu_ema(const CpuRun& run, const KernelInfo& k) { cpu_ta(run, k, Ta::Ema); }
void cpu_bollinger(const CpuRun& run, const KernelInfo& k) { cpu_ta(run, k, Ta::Bollinger); }
void cpu_rsi(const CpuRun& run, const KernelInfo& k) { cpu_ta(run, k, Ta::Rsi); }

void cpu_black_scholes(const CpuRun& run, const KernelInfo& k) {
  BsCase c;
  c.make(run.o.sz.options, run.o.seed, stream_of(k.name));
  std::vector<float> call(c.S.size()), put(c.S.size());
  poison(call);
  poison(put);
  std::vector<double> samples;
  time_cpu([&] { c.cpu(c.n, call.data(), put.data()); }, 1.0, run.warmup, run.repeat, &samples);
  Result r = finance_result(k);
  r.check = c.check(call.data(), put.data());
  r.bytes = c.bytes();
  fill_result(r, samples, r.bytes, 1e9);
  r.size = {{"options", double(c.n)}};
  r.extra = {{"mopts", c.n / (r.median_ms * 1e-3) / 1e6}};
  emit_result(r);
}

void cpu_mc_european(const CpuRun& run, const KernelInfo& k) {
  const int64_t paths = run.o.sz.paths;
  McSums s;
  std::vector<double> samples;
  time_cpu([&] { s = mc_european_cpu_parallel(run.o.seed, paths); }, 1.0, run.warmup, run.repeat, &samples);
  McEstimate e = mc_estimate(s, std::exp(-fin::kMcR * fin::kMcT));
  Result r = finance_result(k);
  r.check = check_ci(e.price, e.se, mc_european_expected(), 0, kBoundCi);
  fill_result(r, samples, double(paths), 1e6);
  r.size = {{"paths", double(paths)}};
  r.extra = {{"price", e.price}, {"stderr", e.se}, {"expected", mc_european_expected()}};
  emit_result(r);
}

void cpu_mc_asian(const CpuRun& run, const KernelInfo& k) {
  const Sizes& z = run.o.sz;
  McSums s;
  std::vector<double> samples;
  time_cpu([&] { s = mc_asian_cpu_parallel(run.o.seed, z.asian_steps, z.asian_paths); }, 1.0, run.warmup, run.repeat, &samples);
  McEstimate e = mc_estimate(s, std::exp(-fin::kMcR * fin::kMcT));
  McEstimate ref = asian_reference_cv(run.o.seed, std::min<int64_t>(z.asian_paths, 1 << 20), z.asian_steps, cpu_threads());
  Result r = finance_result(k);
  r.check = check_ci(e.price, e.se, ref.price, ref.se, kBoundCi);
  fill_result(r, samples, double(z.asian_paths), 1e6);
  r.size = {{"asian_paths", double(z.asian_paths)}, {"asian_steps", double(z.asian_steps)}};
  r.extra = {{"price", e.price}, {"stderr", e.se}, {"expected", ref.price}, {"expectedStderr", ref.se}};
  emit_result(r);
}

namespace {
void cpu_tail_risk(const CpuRun& run, const KernelInfo& k, bool es) {
  VarCase c;
  c.es = es;
  c.make(run.o.sz.portfolios, run.o.sz.scenarios, run.o.sz.assets, run.o.seed, stream_of(k.name));
  std::vector<float> var(c.P);
  poison(var);
  std::vector<double> samples;
  time_cpu([&] { c.cpu(c.P, var.data()); }, 1.0, run.warmup, run.repeat, &samples);
  Result r = finance_result(k);
  r.check = c.check(var.data());
  r.flops = c.flops();
  r.bytes = c.bytes();
  fill_result(r, samples, r.flops, 1e12);
  r.size = {{"portfolios", double(c.P)}, {"scenarios", double(c.S)}, {"assets", double(c.A)}};
  emit_result(r);
}
}  // namespace

void cpu_var_historical(const CpuRun& run, const KernelInfo& k) { cpu_tail_risk(run, k, false); }
void cpu_es_historical(const CpuRun& run, const KernelInfo& k) { cpu_tail_risk(run, k, true); }

void cpu_backtest_grid(const CpuRun& run, const KernelInfo& k) {
  BacktestCase c;
  c.make(run.o.sz.grid_series, run.o.sz.grid_steps, run.o.seed, stream_of(k.name));
  std::vector<float> out[3];
  for (auto& v : out) v.resize(static_cast<size_t>(c.A * 64)), poison(v);
  float* outs[3] = {out[0].data(), out[1].data(), out[2].data()};
  std::vector<double> samples;
  time_cpu([&] { c.cpu(c.A, outs); }, 1.0, run.warmup, run.repeat, &samples);
  Result r = finance_result(k);
  r.check = c.check(outs);
  r.bytes = c.bytes();
  fill_result(r, samples, c.steps(), 1e9);
  r.size = {{"grid_series", double(c.A)}, {"grid_steps", double(c.T)}};
  emit_result(r);
}

int run_cpu_mode(const Options& o) {
  const CpuRun run{o, o.warmup >= 0 ? o.warmup : 1, o.repeat > 0 ? o.repeat : (o.quick ? 3 : 5)};
  if (!philox_self_test()) {
    emit_error("check_failed", "", "philox", "Philox4x32-10 known-answer test failed");
    count_failure();
  }
  // A selection of GPU-only kernels alone has nothing to run here: say so and fail, rather than "0 passed".
  int selected = 0, runnable = 0;
  for (auto& k : kernel_registry())
    if (o.selected(k.suite, k.name)) ++selected, runnable += k.cpu != &cpu_gpu_only;
  if (selected && !runnable) {
    emit_error("gpu_only", "", "", "every selected kernel is GPU-only: --cpu has nothing to run (--list names the CPU ones)");
    count_failure();
    return 0;
  }
  for (auto& k : kernel_registry())
    if (o.selected(k.suite, k.name)) k.cpu(run, k);
  return 0;
}
