// --cpu mode: the multi-threaded CPU implementations, timed with a wall clock and checked against the
// float64 references. No CUDA API is touched in this file or anything it calls.
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

void fill_result(Result& r, const std::vector<double>& samples, double work, double scale) {
  r.samples_ms = samples;
  r.median_ms = median(samples);
  r.value = r.median_ms > 0 ? work / (r.median_ms * 1e-3) / scale : 0;
}

namespace {
const char* kCpuNote = "CPU implementation (std::thread, wall-clock samples)";

void poison(std::vector<float>& v) {
  const float nan = std::nanf("");
  parallel_ranges(static_cast<int64_t>(v.size()), [&](int64_t b, int64_t e, int) {
    std::fill(v.begin() + b, v.begin() + e, nan);
  });
}

void cpu_memory(const Options& o, int warmup, int repeat) {
  const int64_t n = static_cast<int64_t>(o.sz.bytes / 4);
  std::vector<float> a(n), b(n), c(n);
  parallel_for(n, [&](int64_t i) {
    b[i] = 1.0f + u01f(static_cast<uint32_t>(i * 2654435761u));
    c[i] = 2.0f + u01f(static_cast<uint32_t>(i * 40503u + 7));
  });
  for (const char* name : {"d2d_copy", "triad"}) {
    if (!o.selected("memory", name)) continue;
    const bool triad = !std::strcmp(name, "triad");
    const float s = 3.0f;
    auto run = [&] {
      parallel_ranges(n, [&](int64_t lo, int64_t hi, int) {
        if (triad)
          for (int64_t i = lo; i < hi; ++i) a[i] = b[i] + s * c[i];
        else
          std::memcpy(a.data() + lo, b.data() + lo, 4 * (hi - lo));
      });
    };
    poison(a);
    run();
    Result r;
    r.suite = "memory";
    r.name = name;
    r.unit = "GB/s";
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
    time_cpu(run, 1.0, warmup, repeat, &samples);
    r.bytes = (triad ? 3.0 : 2.0) * 4 * n;
    fill_result(r, samples, r.bytes, 1e9);
    r.size = {{"bytes", 4.0 * n}};
    r.note = std::string("host memory, bytes = read + written; ") + kCpuNote;
    emit_result(r);
  }
}
}  // namespace

void cpu_finance(const Options& o, int warmup, int repeat) {
  const Sizes& z = o.sz;
  const uint64_t seed = o.seed;
  auto base = [&](const char* name, const char* unit) {
    Result r;
    r.suite = "finance";
    r.name = name;
    r.unit = unit;
    r.note = kCpuNote;
    r.cpu.present = false;
    return r;
  };
  const struct {
    Ta k;
    const char* name;
  } tas[] = {{Ta::Sma, "sma"}, {Ta::Ema, "ema"}, {Ta::Bollinger, "bollinger"}, {Ta::Rsi, "rsi"}};
  for (auto& t : tas) {
    if (!o.selected("finance", t.name)) continue;
    TaCase c;
    c.make(t.k, z.series, z.steps, seed);
    std::vector<float> out[3];
    float* ptr[3] = {nullptr, nullptr, nullptr};
    for (int i = 0; i < c.nout(); ++i) {
      out[i].resize(static_cast<size_t>(c.A * c.T));
      poison(out[i]);
      ptr[i] = out[i].data();
    }
    std::vector<double> samples;
    time_cpu([&] { c.cpu(c.A, ptr); }, 1.0, warmup, repeat, &samples);
    Result r = base(t.name, "GB/s");
    r.check = c.check(ptr);
    r.bytes = c.bytes();
    fill_result(r, samples, r.bytes, 1e9);
    r.size = {{"series", double(c.A)}, {"steps", double(c.T)}};
    emit_result(r);
  }
  if (o.selected("finance", "black_scholes")) {
    BsCase c;
    c.make(z.options, seed);
    std::vector<float> call(c.S.size()), put(c.S.size());
    poison(call);
    poison(put);
    std::vector<double> samples;
    time_cpu([&] { c.cpu(c.n, call.data(), put.data()); }, 1.0, warmup, repeat, &samples);
    Result r = base("black_scholes", "GB/s");
    r.check = c.check(call.data(), put.data());
    r.bytes = c.bytes();
    fill_result(r, samples, r.bytes, 1e9);
    r.size = {{"options", double(c.n)}};
    r.extra = {{"mopts", c.n / (r.median_ms * 1e-3) / 1e6}};
    emit_result(r);
  }
  if (o.selected("finance", "mc_european")) {
    McSums s;
    std::vector<double> samples;
    time_cpu([&] { s = mc_european_cpu_parallel(seed, z.paths); }, 1.0, warmup, repeat, &samples);
    McEstimate e = mc_estimate(s, std::exp(-fin::kMcR * fin::kMcT));
    Result r = base("mc_european", "Mpaths/s");
    r.check = check_ci(e.price, e.se, mc_european_expected(), 0, kBoundCi);
    fill_result(r, samples, double(z.paths), 1e6);
    r.size = {{"paths", double(z.paths)}};
    r.extra = {{"price", e.price}, {"stderr", e.se}, {"expected", mc_european_expected()}};
    emit_result(r);
  }
  if (o.selected("finance", "mc_asian")) {
    McSums s;
    std::vector<double> samples;
    time_cpu([&] { s = mc_asian_cpu_parallel(seed, z.asian_steps, z.asian_paths); }, 1.0, warmup, repeat, &samples);
    McEstimate e = mc_estimate(s, std::exp(-fin::kMcR * fin::kMcT));
    McEstimate ref = asian_reference_cv(seed, std::min<int64_t>(z.asian_paths, 1 << 20), z.asian_steps, cpu_threads());
    Result r = base("mc_asian", "Mpaths/s");
    r.check = check_ci(e.price, e.se, ref.price, ref.se, kBoundCi);
    fill_result(r, samples, double(z.asian_paths), 1e6);
    r.size = {{"asian_paths", double(z.asian_paths)}, {"asian_steps", double(z.asian_steps)}};
    r.extra = {{"price", e.price}, {"stderr", e.se}, {"expected", ref.price}, {"expectedStderr", ref.se}};
    emit_result(r);
  }
  if (o.selected("finance", "var_historical")) {
    VarCase c;
    c.make(z.portfolios, z.scenarios, z.assets, seed);
    std::vector<float> var(c.P);
    poison(var);
    std::vector<double> samples;
    time_cpu([&] { c.cpu(c.P, var.data()); }, 1.0, warmup, repeat, &samples);
    Result r = base("var_historical", "TFLOP/s");
    r.check = c.check(var.data());
    r.flops = c.flops();
    r.bytes = c.bytes();
    fill_result(r, samples, r.flops, 1e12);
    r.size = {{"portfolios", double(c.P)}, {"scenarios", double(c.S)}, {"assets", double(c.A)}};
    emit_result(r);
  }
  if (o.selected("finance", "backtest_grid")) {
    BacktestCase c;
    c.make(z.grid_series, z.grid_steps, seed);
    std::vector<float> pnl(static_cast<size_t>(c.A * 64));
    poison(pnl);
    std::vector<double> samples;
    time_cpu([&] { c.cpu(c.A, pnl.data()); }, 1.0, warmup, repeat, &samples);
    Result r = base("backtest_grid", "Gsteps/s");
    r.check = c.check(pnl.data());
    r.bytes = 4.0 * c.A * c.T + 4.0 * 64 * c.A;
    fill_result(r, samples, c.steps(), 1e9);
    r.size = {{"grid_series", double(c.A)}, {"grid_steps", double(c.T)}};
    emit_result(r);
  }
}

int run_cpu_mode(const Options& o) {
  const int warmup = o.warmup >= 0 ? o.warmup : 1;
  const int repeat = o.repeat > 0 ? o.repeat : (o.quick ? 3 : 5);
  if (!philox_self_test()) {
    emit_error("check_failed", "", "philox", "Philox4x32-10 known-answer test failed");
    count_failure();
  }
  cpu_memory(o, warmup, repeat);
  for (auto& k : kernel_registry()) {
    const std::string s = k.suite, n = k.name;
    if (!o.selected(s, n)) continue;
    if (s == "compute" || s == "links" || s == "collectives" || s == "latency" || (s == "memory" && n != "d2d_copy" && n != "triad"))
      emit_skip(s, n, "GPU-only kernel: not run in --cpu mode");
  }
  cpu_finance(o, warmup, repeat);
  return 0;
}
