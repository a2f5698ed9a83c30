#include "common.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

#include "json.hpp"

bool Options::selected(const std::string& suite, const std::string& name) const {
  if (!suites.empty() && !suites.count(suite)) return false;
  if (!kernels.empty() && !kernels.count(name)) return false;
  // the diag suite (minutes of stress) runs only when named: --suite diag or --kernel NAME
  if (suite == "diag" && !suites.count(suite) && !kernels.count(name)) return false;
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
    std::snprintf(b, sizeof b, "%s %.3g exceeds bound %.3g%s%s", r.check.metric.c_str(), r.check.error, r.check.bound,
                  r.check.detail.empty() ? "" : "; ", r.check.detail.c_str());
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
  j.raw("check",
        JsonObj().boolean("passed", true).str("metric", r.check.metric).num("error", r.check.error).num("bound", r.check.bound).done());
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

void fill_result(Result& r, const std::vector<double>& samples, double work, double scale) {
  r.samples_ms = samples;
  r.median_ms = median(samples);
  r.value = r.median_ms > 0 ? work / (r.median_ms * 1e-3) / scale : 0;
}
