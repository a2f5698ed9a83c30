#include "check.hpp"

#include <cmath>
#include <cstdio>
#include <vector>

#include "threads.hpp"

void L2Acc::add(const float* out, const double* ref, int64_t count) {
  const int nt = cpu_threads();
  std::vector<double> num(nt, 0), den(nt, 0);
  std::vector<int64_t> bad(nt, 0);
  parallel_ranges(
      count,
      [&](int64_t b, int64_t e, int w) {
        double sn = 0, sd = 0;
        int64_t sb = 0;
        for (int64_t i = b; i < e; ++i) {
          const double o = out[i], r = ref[i];
          if (!std::isfinite(o)) {
            ++sb;
            continue;
          }
          sn += (o - r) * (o - r);
          sd += r * r;
        }
        num[w] = sn;
        den[w] = sd;
        bad[w] = sb;
      },
      nt);
  for (int w = 0; w < nt; ++w) {
    this->num += num[w];
    this->den += den[w];
    this->bad += bad[w];
  }
  this->n += count;
}

double L2Acc::rel() const { return den > 0 ? std::sqrt(num / den) : std::sqrt(num); }

Check finish_rel_l2(const L2Acc& acc, double bound) {
  Check c;
  c.metric = "rel_l2";
  c.bound = bound;
  c.error = acc.rel();
  if (acc.bad) {
    char b[128];
    std::snprintf(b, sizeof b, "%lld of %lld outputs not written or not finite", static_cast<long long>(acc.bad),
                  static_cast<long long>(acc.n));
    c.detail = b;
    c.error = INFINITY;
  }
  c.passed = acc.bad == 0 && std::isfinite(c.error) && c.error <= bound;
  return c;
}

Check check_rel_l2(const float* out, const double* ref, int64_t n, double bound) {
  L2Acc a;
  a.add(out, ref, n);
  return finish_rel_l2(a, bound);
}

Check check_ci(double estimate, double se, double expected, double se_expected, double bound) {
  Check c;
  c.metric = "ci";
  c.bound = bound;
  const double s = std::sqrt(se * se + se_expected * se_expected);
  c.error = s > 0 ? std::fabs(estimate - expected) / s : INFINITY;
  c.passed = std::isfinite(estimate) && std::isfinite(c.error) && c.error <= bound;
  if (!c.passed) {
    char b[160];
    std::snprintf(b, sizeof b, "estimate %.6f, expected %.6f, stderr %.3g", estimate, expected, s);
    c.detail = b;
  }
  return c;
}

CpuTiming time_cpu(const std::function<void()>& run, double fraction, int warmup, int repeat, std::vector<double>* samples) {
  for (int i = 0; i < warmup; ++i) run();
  std::vector<double> t;
  for (int i = 0; i < std::max(1, repeat); ++i) {
    double t0 = now_ms();
    run();
    t.push_back(now_ms() - t0);
  }
  CpuTiming c;
  c.present = true;
  c.measured_ms = median(t);
  c.fraction = fraction;
  c.median_ms = c.measured_ms / fraction;
  c.threads = cpu_threads();
  if (samples) *samples = t;
  return c;
}
