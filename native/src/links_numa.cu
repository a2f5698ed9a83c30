// Links suite, host-to-device per GPU: copies from pinned memory first touched by threads bound to the GPU's
// local CPUs (sysfs local_cpulist), so that the pages sit on the GPU's own NUMA node. Also the sysfs
// helpers gpu_main.cu uses to bind a one-GPU run to that GPU's CPUs.
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

#include "affinity.hpp"
#include "cluster.cuh"
#include "json.hpp"
#include "suites.hpp"

std::string gpu_sysfs_dir(int dev) {
  char bus[32] = {0};
  if (cudaDeviceGetPCIBusId(bus, sizeof bus, dev) != cudaSuccess) return "";
  std::string b(bus);
  for (auto& ch : b) ch = (char)std::tolower((unsigned char)ch);
  return "/sys/bus/pci/devices/" + b;
}

std::string read_line(const std::string& path) {
  std::ifstream f(path);
  std::string s;
  std::getline(f, s);
  return s;
}

namespace {
void h2d_numa(GpuCtx& c, const KernelInfo& k, const std::vector<int>& gpus) {
  const int64_t bytes = std::min<int64_t>((int64_t)c.o.sz.bytes, 256ll << 20);
  for (int g : gpus) {
    guarded(c, k.suite, k.name, [&] {
      const std::string dir = gpu_sysfs_dir(g);
      const std::string node = read_line(dir + "/numa_node"), cpus = read_line(dir + "/local_cpulist");
      cpu_set_t want, old;
      pthread_getaffinity_np(pthread_self(), sizeof old, &old);
      const bool pinned = affinity::parse(cpus, want) && pthread_setaffinity_np(pthread_self(), sizeof want, &want) == 0;
      // First touch under the GPU's CPUs places the pages on its node (default local allocation policy).
      std::unique_ptr<char, decltype(&std::free)> host(static_cast<char*>(std::aligned_alloc(4096, bytes)), &std::free);
      if (!host) throw std::bad_alloc();
      for (int64_t i = 0; i < bytes; ++i) host.get()[i] = (char)(i * 131 + 7);
      if (pinned) pthread_setaffinity_np(pthread_self(), sizeof old, &old);
      CK(cudaHostRegister(host.get(), bytes, cudaHostRegisterDefault));
      CK(cudaSetDevice(g));
      void* d = nullptr;
      cudaStream_t s = nullptr;
      CK(cudaMalloc(&d, bytes));
      CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
      std::vector<char> back(bytes);
      CK(cudaMemcpyAsync(d, host.get(), bytes, cudaMemcpyHostToDevice, s));
      CK(cudaMemcpyAsync(back.data(), d, bytes, cudaMemcpyDeviceToHost, s));
      CK(cudaStreamSynchronize(s));
      GpuCtx gc(c.o);
      gc.s = s;
      gc.warmup = 2;
      gc.repeat = std::min(c.repeat, 10);
      std::vector<double> ms = time_events(gc, [&] { CK(cudaMemcpyAsync(d, host.get(), bytes, cudaMemcpyHostToDevice, s)); });
      Result r = result_for(k, std::to_string(g));
      r.bytes = (double)bytes;
      fill_result(r, ms, (double)bytes, 1e9);
      r.check.metric = "max_abs";
      r.check.passed = std::memcmp(back.data(), host.get(), bytes) == 0;
      if (!r.check.passed) r.check.detail = "round trip differs";
      r.size = {{"bytes", (double)bytes}, {"gpu", (double)g}};
      r.extra = {{"gpu", (double)g}, {"numaNode", node.empty() ? -1.0 : std::atof(node.c_str())}};
      r.note = pinned ? "pinned buffer first touched by threads bound to the GPU's local CPUs (" + cpus + ")"
                      : "GPU's local CPUs unknown (no sysfs entry): buffer allocated wherever the OS put it";
      emit_result(r);
      cudaHostUnregister(host.get());
      cudaFree(d);
      cudaStreamDestroy(s);
      CK(cudaSetDevice(c.dev));
    });
  }
}
}  // namespace

void gpu_h2d_numa(GpuCtx& c, const KernelInfo& k) {
  links_teardown();  // the last links row: the pair buffers are no longer needed
  h2d_numa(c, k, chosen_gpus(c));
  cudaSetDevice(c.dev);
}
