// Links suite, peer read latency: one thread on the source GPU follows a random cycle through the peer's
// memory with volatile loads, for every ordered pair with peer access; time per hop.
#include <algorithm>
#include <numeric>
#include <random>
#include <string>

#include "json.hpp"
#include "links.cuh"
#include "suites.hpp"

namespace {
using namespace links;

__global__ void chase(const uint32_t* next, int hops, uint32_t* out) {
  uint32_t j = 0;
  for (int h = 0; h < hops; ++h) j = __ldcv(next + j);
  *out = j;
}

void latencies(GpuCtx& c, const KernelInfo& k) {
  const std::vector<int> gpus = chosen_gpus(c);
  if (gpus.size() < 2) return emit_skip(k.suite, k.name, "needs two or more GPUs (--gpus)");
  setup(c, gpus);
  if (L.bytes < (16ll << 20)) return emit_skip(k.suite, k.name, "needs --size bytes of at least 16 MiB (the chase buffer)");
  for (size_t i = 0; i < L.dev.size(); ++i)
    for (size_t j = 0; j < L.dev.size(); ++j) {
      if (i == j) continue;
      Dev &a = L.dev[i], &b = L.dev[j];
      const std::string pair = std::to_string(a.id) + "_" + std::to_string(b.id), name = std::string(k.name) + "_" + pair;
      if (!peer_ok(a.id, b.id)) {
        emit_skip(k.suite, name, "no peer access between GPU " + std::to_string(a.id) + " and " + std::to_string(b.id));
        continue;
      }
      guarded(c, k.suite, k.name, [&] {
        // A random cycle over 64 Ki slots 256 B apart (16 MiB) in b's memory, walked by one thread on a.
        constexpr uint32_t kSlots = 1u << 16, kStride = 64;  // u32 units
        const int hops = 20000;
        std::vector<uint32_t> order(kSlots), next(size_t(kSlots) * kStride, 0);
        std::iota(order.begin(), order.end(), 0u);
        std::shuffle(order.begin() + 1, order.end(), std::mt19937(1234 + a.id * 31 + b.id));
        for (uint32_t q = 0; q < kSlots; ++q) next[size_t(order[q]) * kStride] = order[(q + 1) % kSlots] * kStride;
        uint32_t expect = 0;
        for (int h = 0; h < hops; ++h) expect = next[expect];
        CK(cudaSetDevice(b.id));
        CK(cudaMemcpy(b.buf[1], next.data(), next.size() * 4, cudaMemcpyHostToDevice));
        CK(cudaSetDevice(a.id));
        uint32_t* out = (uint32_t*)a.buf[1];
        GpuCtx gc(c.o);
        gc.s = a.s[0];
        std::vector<double> ms = time_events(
            gc,
            [&] {
              chase<<<1, 1, 0, a.s[0]>>>((const uint32_t*)b.buf[1], hops, out);
              CK_LAUNCH();
            },
            1, std::min(c.repeat, 5));
        uint32_t last = 0;
        CK(cudaMemcpy(&last, out, 4, cudaMemcpyDeviceToHost));
        CK(cudaSetDevice(c.dev));
        Result r = result_for(k, pair);
        r.samples_ms = ms;
        r.median_ms = median(ms);
        r.value = r.median_ms * 1000.0 / hops;
        r.precision = "none";
        r.check.metric = "max_abs";
        r.check.passed = last == expect;
        if (!r.check.passed) r.check.detail = "chase ended at the wrong slot";
        r.size = {{"hops", (double)hops}, {"src", (double)a.id}, {"dst", (double)b.id}};
        r.extra = {{"src", (double)a.id}, {"dst", (double)b.id}, {"ns", r.value * 1000}};
        r.note = "one thread on src follows a random cycle through 16 MiB of dst memory (volatile loads); time per hop";
        emit_result(r);
      });
    }
}
}  // namespace

void gpu_p2p_latency(GpuCtx& c, const KernelInfo& k) { latencies(c, k); }
