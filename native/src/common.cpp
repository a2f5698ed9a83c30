#include "common.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

#include "json.hpp"

bool Options::selected(const std::string& suite, const std::string& name) const {
  if (!suites.empty() && !suites.count(suite)) return false;
  if (!kernels.empty() && !kernels.count(name)) return false;
  return true;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int cpu_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n ? static_cast<int>(n) : 1;
}

void emit_result(const Result& r) {
  if (!r.check.passed) {
    char b[256];
    std::snprintf(b, sizeof b, "%s %.3g exceeds bound %.3g%s%s", r.check.metric.c_str(), r.check.error,
                  r.check.bound, r.check.detail.empty() ? "" : "; ", r.check.detail.c_str());
    emit_error("check_failed", r.suite, r.name, b);
    count_failure();
    return;
  }
  JsonObj j;
  j.str("type", "result").str("suite", r.suite).str("name", r.name).str("unit", r.unit);
  j.num("value", r.value).nums("samplesMs", r.samples_ms).num("medianMs", r.median_ms);
  j.num("bytes", r.bytes).num("flops", r.flops);
  JsonObj sz;
  for (auto& kv : r.size) sz.num(kv.first.c_str(), kv.second);
  j.raw("size", sz.done()).str("precision", r.precision);
  j.raw("check", JsonObj()
                     .boolean("passed", true)
                     .str("metric", r.check.metric)
                     .num("error", r.check.error)
                     .num("bound", r.check.bound)
                     .done());
  if (r.cpu.present) {
    JsonObj c;
    c.num("medianMs", r.cpu.median_ms).integer("threads", r.cpu.threads);
    if (r.cpu.fraction != 1.0) c.num("measuredMs", r.cpu.measured_ms).num("fraction", r.cpu.fraction);
    j.raw("cpu", c.done());
    if (r.median_ms > 0) j.num("speedup", r.cpu.median_ms / r.median_ms);
  }
  for (auto& kv : r.extra) j.num(kv.first.c_str(), kv.second);
  if (!r.note.empty()) j.str("note", r.note);
  emit_line(j.done());
}

static const std::vector<KernelInfo> kRegistry = {
    {"memory", "d2d_copy", "GB/s", "device copy kernel, 16-byte loads/stores (bytes read + written)"},
    {"memory", "triad", "GB/s", "STREAM triad a = b + s*c, 16-byte accesses (bytes read + written)"},
    {"memory", "memcpy_d2d", "GB/s", "cudaMemcpyAsync device-to-device: the ceiling (bytes read + written)"},
    {"memory", "h2d_pinned", "GB/s", "host-to-device copy from pinned memory (bytes transferred)"},
    {"memory", "d2h_pinned", "GB/s", "device-to-host copy to pinned memory (bytes transferred)"},
    {"memory", "h2d_pageable", "GB/s", "host-to-device copy from pageable memory (bytes transferred)"},
    {"memory", "d2h_pageable", "GB/s", "device-to-host copy to pageable memory (bytes transferred)"},
    {"compute", "gemm_fp32", "TFLOP/s", "cuBLASLt GEMM n^3, fp32 in/out, fp32 compute"},
    {"compute", "gemm_tf32", "TFLOP/s", "cuBLASLt GEMM n^3, fp32 in/out, tf32 tensor cores"},
    {"compute", "gemm_fp16", "TFLOP/s", "cuBLASLt GEMM n^3, fp16 in/out, fp32 accumulate"},
    {"compute", "gemm_bf16", "TFLOP/s", "cuBLASLt GEMM n^3, bf16 in/out, fp32 accumulate"},
    {"compute", "gemm_fp8", "TFLOP/s", "cuBLASLt GEMM n^3, fp8 e4m3 in, bf16 out, fp32 accumulate (sm_89+)"},
    {"compute", "launch_latency", "us", "empty kernel, back-to-back stream launches: time per launch"},
    {"compute", "graph_launch_latency", "us", "empty kernel, CUDA graph replay: time per kernel node"},
    {"finance", "sma", "GB/s", "simple moving average n=20 over series x steps (float32)"},
    {"finance", "ema", "GB/s", "exponential moving average n=20 (alpha=2/21, SMA seed), chunked scan"},
    {"finance", "bollinger", "GB/s", "Bollinger bands n=20, k=2: mid, upper, lower (population std, two-pass/Welford)"},
    {"finance", "rsi", "GB/s", "Wilder RSI(14), chunked scan of the smoothing recurrence"},
    {"finance", "black_scholes", "GB/s", "Black-Scholes call and put, NVIDIA sample inputs"},
    {"finance", "mc_european", "Mpaths/s", "Monte Carlo European call, in-kernel Philox4x32-10"},
    {"finance", "mc_asian", "Mpaths/s", "Monte Carlo arithmetic Asian call, 64 monitoring steps, Philox4x32-10"},
    {"finance", "var_historical", "TFLOP/s", "historical VaR 99%: P&L GEMM (fp32) + per-portfolio 1% quantile"},
    {"finance", "backtest_grid", "Gsteps/s", "MA-crossover backtest, 8 fast x 8 slow windows, PnL per (series, fast, slow)"},
};

const std::vector<KernelInfo>& kernel_registry() {
  static const std::vector<KernelInfo> all = [] {
    std::vector<KernelInfo> v = kRegistry;
    for (auto& k : cluster_kernels()) v.push_back(k);  // links, collectives, latency (cluster_registry.cpp)
    return v;
  }();
  return all;
}

const KernelInfo* find_kernel(const std::string& name) {
  for (auto& k : kernel_registry())
    if (name == k.name) return &k;
  return nullptr;
}
