// The momentum quant kernel (issue 21); definitions and checks in quant_host.hpp.
// One block (512 threads, 8 assets each) per step of a time-major panel. roc from 16-byte
// loads of p[t] and p[t-20] (L2 hit: that row was read 20 blocks earlier); the cross-sectional rank by
// a bucket sort in shared memory: buckets by value through a monotone map (a lower bucket holds only smaller values:
// equal widths between the row's min and max, or for a row with outliers kSigma, below), counts by shared atomics,
// a block scan for the bucket starts, then the rank of each member within its bucket by counting the bucket's
// smaller members. The result's form
// (byPosition) gives each thread the bucket-sorted members at positions tid + 512 k, so a warp's lanes share a
// few neighbouring buckets (near-broadcast reads), and writes the ranks out through a per-asset array; byValue
// (GPUCTL_BENCH_VARIANTS=1) has each thread rank its own 8 assets, 32 random buckets per warp.
// The bounds are the shared-memory pipe and the issue rate (ncu, byPosition: L1/shared 80%, SM 75%, DRAM 34%),
// not device memory: docs/benchmarks.md counts its traffic, lists what was tried, and gives the timing probes'
// split (sixth session: roc and stores alone 0.213 ms, 91% of the copy ceiling; + the row's statistics, bucket
// counts and scan 0.283 ms, already below 80%; + the member scatter 0.314 ms; the whole rank 0.514 ms), and the
// jumps panel's figures (kSigma against the linear map: 0.60 against 0.81 ms).
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "check.hpp"
#include "fin_host.hpp"
#include "gpu.cuh"
#include "json.hpp"
#include "quant_host.hpp"
#include "quant_momentum.cuh"
#include "suites.hpp"

namespace {

// segs: seg_table(A), made once per run, not at every (timed) launch.
template <int FORM, int MAP>
void launch_momentum(const GpuCtx& c, const float* p, float* roc, int* rank, int64_t A, int64_t T, const SegTable& segs) {
  momentum_kernel<FORM, MAP><<<(unsigned)T, MT, 16 * (size_t)A, c.s>>>(p, roc, rank, (int)A, segs);
}
template <int FORM, int MAP> void opt_in(int64_t A) {  // over 48 KB with the static arrays: always opt in
  CK(cudaFuncSetAttribute(momentum_kernel<FORM, MAP>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)(16 * A)));
}

void run_momentum(GpuCtx& c, const KernelInfo& kd) {
  const int64_t A = c.o.sz.series, T = c.o.sz.steps;
  if (A % MI || A > MI * MT) return emit_skip(kd.suite, kd.name, "--size series (the assets) must be a multiple of 8, at most 4096");
  const bool variants = std::getenv("GPUCTL_BENCH_VARIANTS") != nullptr;
  MomentumCase mc, mj;  // mj (variants only): the same walks with jumps, a heavy-tailed cross-section
  mc.make(A, T, c.o.seed, stream_of(kd.name));
  if (variants) mj.make(A, T, c.o.seed, stream_of(kd.name), true, 1.0 / 1000);
  const int64_t n = A * T;
  DevBuf<float> p, pj, roc(n);
  DevBuf<int> rank(n);
  to_dev(p, mc.p, c.s);
  if (variants) to_dev(pj, mj.p, c.s);
  opt_in<kByPosition, kSigma>(A);
  opt_in<kByPosition, kLinear>(A);
  opt_in<kByValue, kSigma>(A);
  opt_in<kProbeRoc, kSigma>(A);
  opt_in<kProbeCount, kSigma>(A);
  opt_in<kProbeScatter, kSigma>(A);
  const SegTable segs = seg_table((int)A);
  using Launch = std::function<void(const float*)>;
  // The launch forms; the first is the result. GPUCTL_BENCH_VARIANTS=1 also checks and times the others (extra),
  // and the first two again on the jumps panel (jumps<form>Ms).
  const std::vector<std::pair<std::string, Launch>> forms = {
      {"byPosition", [&](const float* in) { launch_momentum<kByPosition, kSigma>(c, in, roc.p, rank.p, A, T, segs); }},
      {"byPositionLinear", [&](const float* in) { launch_momentum<kByPosition, kLinear>(c, in, roc.p, rank.p, A, T, segs); }},
      {"byValue", [&](const float* in) { launch_momentum<kByValue, kSigma>(c, in, roc.p, rank.p, A, T, segs); }},
  };
  const std::vector<std::pair<std::string, Launch>> probes = {
      {"probeRoc", [&](const float* in) { launch_momentum<kProbeRoc, kSigma>(c, in, roc.p, rank.p, A, T, segs); }},
      {"probeCount", [&](const float* in) { launch_momentum<kProbeCount, kSigma>(c, in, roc.p, rank.p, A, T, segs); }},
      {"probeScatter", [&](const float* in) { launch_momentum<kProbeScatter, kSigma>(c, in, roc.p, rank.p, A, T, segs); }},
  };
  std::vector<float> hr;
  std::vector<int> hk;
  double mismatch = 0, ignored = 0;
  auto checked = [&](const Launch& launch, const MomentumCase& mcase, const float* in, double* mm) {
    poison(roc.p, roc.bytes(), c.s);
    poison(rank.p, rank.bytes(), c.s);  // -1: not a rank
    launch(in);
    CK_LAUNCH();
    to_host(hr, roc, c.s);
    to_host(hk, rank, c.s);
    return mcase.check(hr.data(), hk.data(), mm);
  };
  std::vector<std::pair<std::string, double>> extra;
  if (variants) {
    for (size_t i = 1; i < forms.size(); ++i) {
      const Check ck = checked(forms[i].second, mc, p.p, &ignored);
      extra.push_back({forms[i].first + "Ms", median(time_events(c, [&] { forms[i].second(p.p); }))});
      extra.push_back({forms[i].first + "Passed", ck.passed ? 1.0 : 0.0});
    }
    for (size_t i = 0; i < 2; ++i) {
      const std::string name = i == 0 ? "jumpsByPosition" : "jumpsByPositionLinear";
      const Check ck = checked(forms[i].second, mj, pj.p, &ignored);
      extra.push_back({name + "Ms", median(time_events(c, [&] { forms[i].second(pj.p); }))});
      extra.push_back({name + "Passed", ck.passed ? 1.0 : 0.0});
    }
    for (const auto& probe : probes) {
      probe.second(p.p);
      CK_LAUNCH();
      extra.push_back({probe.first + "Ms", median(time_events(c, [&] { probe.second(p.p); }))});
    }
  }
  const auto f = [&] { forms[0].second(p.p); };
  const Check ck = checked(forms[0].second, mc, p.p, &mismatch);
  Result r = result_for(kd);
  r.check = ck;
  r.bytes = mc.bytes();
  fill_result(r, time_events(c, f), r.bytes, 1e9);
  const int64_t t1 = std::max<int64_t>(1, (int64_t)(T * cpu_fraction(c.o)));
  r.cpu = time_cpu([&] { mc.cpu(t1, hr.data(), hk.data()); }, (double)t1 / T, 1, 3);
  r.size = {{"series", (double)A}, {"steps", (double)T}};
  r.extra = {{"rankMismatchVsFloat64", mismatch}};
  r.extra.insert(r.extra.end(), extra.begin(), extra.end());
  r.note =
      "bytes = price read once + roc (fp32) and rank (int32) written once; rank by an in-block bucket sort (buckets by mean and deviation)";
  emit_result(r);
}
}  // namespace

void gpu_momentum(GpuCtx& c, const KernelInfo& k) { run_momentum(c, k); }
