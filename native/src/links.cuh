// Links suite (links.cu: peer copies; links_latency.cu: peer read latency; links_numa.cu: host-to-device per
// NUMA node): the buffers and streams on every chosen GPU, set up by the first pair row and kept to the last
// (or to cluster_teardown()).
#pragma once
#include <vector>

#include "cluster.cuh"

namespace links {
struct Dev {
  int id = 0, sms = 0;
  cudaStream_t s[2] = {nullptr, nullptr};
  void* buf[2] = {nullptr, nullptr};
};

struct LinksState {
  bool tried = false, ready = false;
  std::vector<Dev> dev;
  int64_t bytes = 0, n4 = 0;
};
extern LinksState L;

bool peer_ok(int a, int b);
// Once per run: two streams and two filled buffers of --size bytes per GPU, peer access enabled where the
// pair allows it; a later row after a failed setup throws.
void setup(GpuCtx& c, const std::vector<int>& gpus);
}  // namespace links
