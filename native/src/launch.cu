// Compute suite, launch latency: an (almost) empty kernel launched back to back on a stream, and the
// same launches replayed from a CUDA graph. Each sample is one batch of kBatch launches; the value is the
// time per launch in microseconds (= medianMs * 1000 / kBatch).
#include "gpu.cuh"
#include "json.hpp"
#include "suites.hpp"

namespace {
constexpr int kBatch = 1000;

__global__ void tiny_kernel(unsigned* counter) {
  if (counter && threadIdx.x == 0) atomicAdd(counter, 1u);
}

void batch(GpuCtx& c, unsigned* counter) {
  for (int i = 0; i < kBatch; ++i) tiny_kernel<<<1, 32, 0, c.s>>>(counter);
  CK_LAUNCH();
}

Check counter_check(GpuCtx& c, DevBuf<unsigned>& ctr, const std::function<void()>& f) {
  CK(cudaMemsetAsync(ctr.p, 0, sizeof(unsigned), c.s));
  f();
  unsigned h = 0;
  CK(cudaMemcpyAsync(&h, ctr.p, sizeof h, cudaMemcpyDeviceToHost, c.s));
  CK(cudaStreamSynchronize(c.s));
  Check k;
  k.metric = "max_abs";
  k.bound = 0;
  k.error = std::abs((double)h - kBatch);
  k.passed = h == (unsigned)kBatch;
  if (!k.passed) k.detail = "counter " + std::to_string(h) + " after " + std::to_string(kBatch) + " launches";
  return k;
}

Result lat_result(const KernelInfo& k, const std::vector<double>& ms, const char* note) {
  Result r = result_for(k);
  r.samples_ms = ms;
  r.median_ms = median(ms);
  r.value = r.median_ms * 1000.0 / kBatch;
  r.size = {{"launches", (double)kBatch}};
  r.precision = "none";
  r.note = note;
  return r;
}

struct Graph {
  cudaGraph_t g = nullptr;
  cudaGraphExec_t e = nullptr;
  ~Graph() {
    if (e) cudaGraphExecDestroy(e);
    if (g) cudaGraphDestroy(g);
  }
  void capture(GpuCtx& c, unsigned* counter) {
    CK(cudaStreamBeginCapture(c.s, cudaStreamCaptureModeThreadLocal));
    batch(c, counter);
    CK(cudaStreamEndCapture(c.s, &g));
    CK(cudaGraphInstantiate(&e, g, 0));
  }
};
}  // namespace

void gpu_launch_latency(GpuCtx& c, const KernelInfo& k) {
  DevBuf<unsigned> ctr(1);
  Check chk = counter_check(c, ctr, [&] { batch(c, ctr.p); });
  Result r = lat_result(k, time_events(c, [&] { batch(c, nullptr); }),
                        "per-launch time of 1000 back-to-back <<<1,32>>> launches on one stream (sample = batch)");
  r.check = chk;
  emit_result(r);
}

void gpu_graph_launch_latency(GpuCtx& c, const KernelInfo& k) {
  DevBuf<unsigned> ctr(1);
  Graph checked, timed;
  checked.capture(c, ctr.p);
  timed.capture(c, nullptr);
  Check chk = counter_check(c, ctr, [&] { CK(cudaGraphLaunch(checked.e, c.s)); });
  Result r = lat_result(k, time_events(c, [&] { CK(cudaGraphLaunch(timed.e, c.s)); }),
                        "per-node time of a CUDA graph of 1000 <<<1,32>>> kernel nodes, replayed (sample = one replay)");
  r.check = chk;
  emit_result(r);
}
