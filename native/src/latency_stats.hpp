// Latency suite helpers shared by the GPU rows (latency_run.cu) and the CPU rows (cpu_latency.cpp): nearest-
// rank percentiles and the worst of a request's output checks. Host code only.
#pragma once
#include <algorithm>
#include <cmath>
#include <vector>

#include "common.hpp"

namespace lat {
// p-th percentile of sorted samples, nearest rank: sorted[ceil(p/100 x n) - 1].
inline double pct(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = (size_t)std::ceil(p * sorted.size() / 100.0 - 1e-9);  // 99.9 x 1000 / 100 ranks 999
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

// The first failed check, else the largest error (with its bound and metric) of a request's outputs.
inline Check worst(const std::vector<Check>& all) {
  Check w;
  w.passed = true;
  for (auto& c : all) {
    if (!c.passed && w.passed) w = c;
    if (w.passed && c.error >= w.error) {
      w.error = c.error;
      w.bound = c.bound;
      w.metric = c.metric;
    }
  }
  return w;
}
}  // namespace lat
