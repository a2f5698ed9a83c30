// --cpu mode for the quant kernels (issue 21): the float32 CPU forms of quant_host.cpp, timed on all of the
// input, checked like the GPU outputs.
#include <cmath>

#include "check.hpp"
#include "fin_host.hpp"
#include "json.hpp"
#include "quant_host.hpp"
#include "suites.hpp"

namespace {
const char* kQuantCpuNote = "CPU implementation (std::thread, wall-clock samples)";
}

void cpu_zscore(const CpuRun& run, const KernelInfo& k) {
  ZscoreCase c;
  c.make(run.o.sz.series, run.o.sz.steps, run.o.seed, stream_of(k.name));
  std::vector<float> z(static_cast<size_t>(c.A * c.T), std::nanf(""));  // NaN / 127 / -1: unwritten
  std::vector<int8_t> s(z.size(), 127);
  std::vector<double> samples;
  time_cpu([&] { c.cpu(c.A, z.data(), s.data()); }, 1.0, run.warmup, run.repeat, &samples);
  Result r = result_for(k);
  r.note = kQuantCpuNote;
  double mismatch = 0;
  r.check = c.check(z.data(), s.data(), &mismatch);
  r.bytes = c.bytes();
  fill_result(r, samples, r.bytes, 1e9);
  r.size = {{"series", double(c.A)}, {"steps", double(c.T)}};
  r.extra = {{"signalMismatchVsFloat64", mismatch}};
  emit_result(r);
}

void cpu_momentum(const CpuRun& run, const KernelInfo& k) {
  MomentumCase c;
  c.make(run.o.sz.series, run.o.sz.steps, run.o.seed, stream_of(k.name));
  std::vector<float> roc(static_cast<size_t>(c.A * c.T), std::nanf(""));
  std::vector<int32_t> rank(roc.size(), -1);
  std::vector<double> samples;
  time_cpu([&] { c.cpu(c.T, roc.data(), rank.data()); }, 1.0, run.warmup, run.repeat, &samples);
  Result r = result_for(k);
  r.note = kQuantCpuNote;
  double mismatch = 0;
  r.check = c.check(roc.data(), rank.data(), &mismatch);
  r.bytes = c.bytes();
  fill_result(r, samples, r.bytes, 1e9);
  r.size = {{"series", double(c.A)}, {"steps", double(c.T)}};
  r.extra = {{"rankMismatchVsFloat64", mismatch}};
  emit_result(r);
}
