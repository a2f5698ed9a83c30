// Latency suite, timing one request: nearest-rank percentiles (p-th = sorted[ceil(p/100 x n) - 1]) of the host
// wall-clock time per request, next to the same request on one CPU thread. The output is poisoned and checked
// before the warm-up and again after the timed requests (the worse of the two is reported).
#include <algorithm>
#include <cmath>
#include <map>

#include "json.hpp"
#include "latency.cuh"
#include "latency_stats.hpp"
#include "latency_tail.hpp"
#include "suites.hpp"

namespace {
using lat::pct;

std::map<std::string, std::vector<double>> cpu_cache;  // CPU request times, shared by a request's two rows

// GPUCTL_BENCH_LAT_SYNC (latency_tail.hpp): the host thread's wait policy, set once for the context.
void set_sync(const lat::TailKnobs& k) {
  static bool done = false;
  if (done || k.sync == "default") return;
  done = true;
  const unsigned f = k.sync == "spin"       ? cudaDeviceScheduleSpin
                     : k.sync == "yield"    ? cudaDeviceScheduleYield
                     : k.sync == "blocking" ? cudaDeviceScheduleBlockingSync
                                            : cudaDeviceScheduleAuto;
  CK(cudaSetDeviceFlags(f));
}
}  // namespace

namespace lat {
void run_request(GpuCtx& c, const KernelInfo& kd, Request& q, bool graph) {
  const int64_t reps = c.o.sz.requests;
  const int warm = c.o.quick ? 50 : 200;
  const TailKnobs knobs = TailKnobs::from_env();
  set_sync(knobs);
  mlock_once(knobs);
  cudaGraph_t g = nullptr;
  cudaGraphExec_t ge = nullptr;
  if (graph) {
    CK(cudaStreamBeginCapture(c.s, cudaStreamCaptureModeThreadLocal));
    q.issue(c.s, true);
    CK(cudaStreamEndCapture(c.s, &g));
    CK(cudaGraphInstantiate(&ge, g, 0));
  }
  auto once = [&] {
    if (graph) CK(cudaGraphLaunch(ge, c.s));
    else q.issue(c.s, false);
    if (knobs.wait == "poll") {
      cudaError_t e;
      while ((e = cudaStreamQuery(c.s)) == cudaErrorNotReady) {
      }
      CK(e);
    } else {
      CK(cudaStreamSynchronize(c.s));
    }
  };
  q.poison();
  once();
  Check k = q.check();
  for (int i = 0; i < warm; ++i) once();
  std::vector<double> ms;
  ms.reserve(reps);
  Usage u0, u1;
  std::string applied;
  {
    TailScope scope(knobs);
    applied = scope.applied;
    u0 = Usage::thread_now();
    for (int64_t i = 0; i < reps; ++i) {
      const double t0 = now_ms();
      once();
      ms.push_back(now_ms() - t0);
    }
    u1 = Usage::thread_now();
  }
  q.poison();  // checked again after the timed requests: the host reads only after the completion it observed
  once();
  if (const Check after = q.check(); k.passed && (!after.passed || after.error > k.error)) k = after;
  if (ge) cudaGraphExecDestroy(ge);
  if (g) cudaGraphDestroy(g);
  std::vector<double>& cpu = cpu_cache[q.base];  // measured once per request, for both rows
  if (cpu.empty()) {
    q.cpu();
    const double start = now_ms();
    for (int64_t i = 0; i < reps && (i < 100 || now_ms() - start < 3000); ++i) {
      const double t0 = now_ms();
      q.cpu();
      cpu.push_back(now_ms() - t0);
    }
    std::sort(cpu.begin(), cpu.end());
  }
  std::vector<double> s = ms;
  std::sort(s.begin(), s.end());
  Result r = result_for(kd);
  r.precision = "fp32";
  r.samples_ms = ms;
  r.median_ms = pct(s, 50);
  r.value = pct(s, 99) * 1000;
  r.check = k;
  r.size = q.size;
  r.cpu.present = true;
  r.cpu.median_ms = pct(cpu, 50);
  r.cpu.threads = 1;
  r.extra = {{"requests", (double)reps},
             {"p50Us", pct(s, 50) * 1e3},
             {"p95Us", pct(s, 95) * 1e3},
             {"p99Us", pct(s, 99) * 1e3},
             {"p999Us", pct(s, 99.9) * 1e3},
             {"maxUs", s.back() * 1e3},
             {"cpuRequests", (double)cpu.size()},
             {"cpuP50Us", pct(cpu, 50) * 1e3},
             {"cpuP99Us", pct(cpu, 99) * 1e3},
             {"minorFaults", (double)(u1.minflt - u0.minflt)},
             {"majorFaults", (double)(u1.majflt - u0.majflt)},
             {"volCtxSw", (double)(u1.nvcsw - u0.nvcsw)},
             {"involCtxSw", (double)(u1.nivcsw - u0.nivcsw)}};
  r.note = q.note + (graph ? "; one CUDA graph replayed per request" : "; plain stream launches") +
           "; value = p99 of host wall-clock time per request (us); host: " + knobs.describe() + applied;
  emit_result(r);
}
}  // namespace lat
