// Links suite: copies between every ordered GPU pair, as nvbandwidth measures them (copy engine:
// cudaMemcpyPeerAsync; SM: a copy kernel on the source GPU writing into the peer's memory; bidirectional:
// both directions at once, reported per direction), peer read latency by pointer chase, and host-to-device
// copies per GPU from pinned memory first touched on the GPU's own NUMA node. Bytes are counted once.
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <memory>
#include <numeric>
#include <random>
#include <sstream>

#include "cluster.cuh"
#include "json.hpp"
#include "suites.hpp"

namespace {
__global__ __launch_bounds__(512) void peer_copy(const uint4* __restrict__ src, uint4* __restrict__ dst, int64_t n4) {
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
  for (; i + 3 * stride < n4; i += 4 * stride) {
    const uint4 a = src[i], b = src[i + stride], c = src[i + 2 * stride], d = src[i + 3 * stride];
    dst[i] = a;
    dst[i + stride] = b;
    dst[i + 2 * stride] = c;
    dst[i + 3 * stride] = d;
  }
  for (; i < n4; i += stride) dst[i] = src[i];
}

__global__ void chase(const uint32_t* next, int hops, uint32_t* out) {
  uint32_t j = 0;
  for (int h = 0; h < hops; ++h) j = __ldcv(next + j);
  *out = j;
}

__global__ void fill_u32(uint32_t* p, int64_t n, uint32_t salt) {
  const int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
  if (i < n) p[i] = (uint32_t)i * 2654435761u + salt;
}

struct Dev {
  int id = 0, sms = 0;
  cudaStream_t s[2] = {nullptr, nullptr};
  void* buf[2] = {nullptr, nullptr};
};

// Two-stream timing on device `a`: `work(0)` on stream A, `work(1)` on stream B (when bidir), both released
// by one event, the span from that event to the later end.
double timed_ms(Dev& a, Dev& b, bool bidir, const std::function<void(int)>& work) {
  CK(cudaSetDevice(a.id));
  cudaEvent_t e0, e1, eb;
  CK(cudaEventCreate(&e0));
  CK(cudaEventCreate(&e1));
  CK(cudaSetDevice(b.id));
  CK(cudaEventCreateWithFlags(&eb, cudaEventDisableTiming));
  CK(cudaSetDevice(a.id));
  CK(cudaEventRecord(e0, a.s[0]));
  if (bidir) CK(cudaStreamWaitEvent(b.s[1], e0, 0));
  work(0);
  if (bidir) {
    work(1);
    CK(cudaSetDevice(b.id));
    CK(cudaEventRecord(eb, b.s[1]));
    CK(cudaSetDevice(a.id));
    CK(cudaStreamWaitEvent(a.s[0], eb, 0));
  }
  CK(cudaEventRecord(e1, a.s[0]));
  CK(cudaEventSynchronize(e1));
  float ms = 0;
  CK(cudaEventElapsedTime(&ms, e0, e1));
  cudaEventDestroy(e0);
  cudaEventDestroy(e1);
  cudaEventDestroy(eb);
  return ms;
}

std::string sysfs_dir(int dev) {
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

// "0-31,64-95" -> cpu_set_t; false when empty or unreadable.
bool parse_cpulist(const std::string& text, cpu_set_t& set) {
  CPU_ZERO(&set);
  std::stringstream ss(text);
  std::string part;
  int count = 0;
  while (std::getline(ss, part, ',')) {
    if (part.empty()) continue;
    const auto dash = part.find('-');
    const int lo = std::atoi(part.c_str()), hi = dash == std::string::npos ? lo : std::atoi(part.c_str() + dash + 1);
    for (int i = lo; i <= hi && i < CPU_SETSIZE; ++i, ++count) CPU_SET(i, &set);
  }
  return count > 0;
}

void h2d_numa(GpuCtx& c, const KernelInfo& k, const std::vector<int>& gpus) {
  const int64_t bytes = std::min<int64_t>((int64_t)c.o.sz.bytes, 256ll << 20);
  for (int g : gpus) {
    guarded(c, k.suite, k.name, [&] {
      const std::string dir = sysfs_dir(g);
      const std::string node = read_line(dir + "/numa_node"), cpus = read_line(dir + "/local_cpulist");
      cpu_set_t want, old;
      pthread_getaffinity_np(pthread_self(), sizeof old, &old);
      const bool pinned = parse_cpulist(cpus, want) && pthread_setaffinity_np(pthread_self(), sizeof want, &want) == 0;
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

namespace {
// Buffers on every chosen GPU, kept from the first pair row to the last (or to cluster_teardown()).
struct LinksState {
  bool tried = false, ready = false;
  std::vector<Dev> dev;
  int64_t bytes = 0, n4 = 0;
} L;

bool peer_ok(int a, int b) {
  int can = 0;
  cudaDeviceCanAccessPeer(&can, a, b);
  return can != 0;
}

void setup(GpuCtx& c, const std::vector<int>& gpus) {
  if (L.tried) {
    if (!L.ready) throw CudaError("links: setting up the GPUs failed in an earlier row");
    return;
  }
  L.tried = true;
  L.bytes = (int64_t)(c.o.sz.bytes / 16 * 16);
  L.n4 = L.bytes / 16;
  L.dev.resize(gpus.size());
  for (size_t i = 0; i < gpus.size(); ++i) {
    Dev& d = L.dev[i];
    d.id = gpus[i];
    CK(cudaSetDevice(d.id));
    cudaDeviceGetAttribute(&d.sms, cudaDevAttrMultiProcessorCount, d.id);
    for (int k = 0; k < 2; ++k) {
      CK(cudaStreamCreateWithFlags(&d.s[k], cudaStreamNonBlocking));
      CK(cudaMalloc(&d.buf[k], L.bytes));
      fill_u32<<<grid_for(L.bytes / 4, 256), 256, 0, d.s[k]>>>((uint32_t*)d.buf[k], L.bytes / 4, 17u * d.id + k);
      CK_LAUNCH();
    }
    CK(cudaStreamSynchronize(d.s[0]));
    CK(cudaStreamSynchronize(d.s[1]));
    for (size_t j = 0; j < gpus.size(); ++j) {
      if (j == i || !peer_ok(d.id, gpus[j])) continue;
      const cudaError_t e = cudaDeviceEnablePeerAccess(gpus[j], 0);
      if (e != cudaSuccess && e != cudaErrorPeerAccessAlreadyEnabled) CK(e);
      cudaGetLastError();
    }
  }
  CK(cudaSetDevice(c.dev));
  L.ready = true;
}

// kind 0..3: CE uni, CE bidir, SM uni, SM bidir
void copies(GpuCtx& c, const KernelInfo& k, int kind) {
  const std::vector<int> gpus = chosen_gpus(c);
  if (gpus.size() < 2) return emit_skip(k.suite, k.name, "needs two or more GPUs (--gpus)");
  setup(c, gpus);
  const bool sm = kind >= 2, bidir = kind % 2 == 1;
  const int64_t bytes = L.bytes, n4 = L.n4;
  const int rep = std::min(c.repeat, 20), warm = 2;
  std::vector<uint32_t> want(std::min<int64_t>(bytes / 4, 1 << 20)), got(want.size());
  for (size_t i = 0; i < L.dev.size(); ++i)
    for (size_t j = 0; j < L.dev.size(); ++j) {
      if (i == j) continue;
      Dev &a = L.dev[i], &b = L.dev[j];
      const std::string pair = std::to_string(a.id) + "_" + std::to_string(b.id), name = std::string(k.name) + "_" + pair;
      if (sm && !peer_ok(a.id, b.id)) {
        emit_skip(k.suite, name, "no peer access between GPU " + std::to_string(a.id) + " and " + std::to_string(b.id));
        continue;
      }
      guarded(c, k.suite, k.name, [&] {
        // a.buf[0] -> b.buf[1] (measured direction); bidir also b.buf[0] -> a.buf[1]
        auto work = [&](int side) {
          Dev& src = side == 0 ? a : b;
          Dev& dst = side == 0 ? b : a;
          cudaStream_t s = side == 0 ? a.s[0] : b.s[1];
          CK(cudaSetDevice(src.id));
          if (sm) {
            peer_copy<<<src.sms * 4, 512, 0, s>>>((const uint4*)src.buf[0], (uint4*)dst.buf[1], n4);
            CK_LAUNCH();
          } else {
            CK(cudaMemcpyPeerAsync(dst.buf[1], dst.id, src.buf[0], src.id, bytes, s));
          }
          CK(cudaSetDevice(a.id));
        };
        CK(cudaSetDevice(b.id));
        CK(cudaMemsetAsync(b.buf[1], 0xFF, bytes, b.s[0]));
        CK(cudaStreamSynchronize(b.s[0]));
        std::vector<double> ms;
        for (int r = 0; r < warm + rep; ++r) {
          const double t = timed_ms(a, b, bidir, work);
          if (r >= warm) ms.push_back(t);
        }
        CK(cudaSetDevice(b.id));
        CK(cudaMemcpy(got.data(), b.buf[1], got.size() * 4, cudaMemcpyDeviceToHost));
        CK(cudaSetDevice(a.id));
        CK(cudaMemcpy(want.data(), a.buf[0], want.size() * 4, cudaMemcpyDeviceToHost));
        CK(cudaSetDevice(c.dev));
        Result r = result_for(k, pair);
        r.bytes = (double)bytes;
        fill_result(r, ms, (double)bytes, 1e9);
        r.check.metric = "max_abs";
        r.check.passed = want == got;
        if (!r.check.passed) r.check.detail = "destination differs from the source";
        r.size = {{"bytes", (double)bytes}, {"src", (double)a.id}, {"dst", (double)b.id}};
        r.extra = {{"src", (double)a.id}, {"dst", (double)b.id}};
        if (bidir) r.extra.push_back({"totalGBs", 2 * r.value});
        r.note = std::string(sm ? "SM copy kernel on the source GPU writing to the peer" : "cudaMemcpyPeerAsync (copy engine)") +
                 (bidir ? "; both directions at once, figure per direction (bytes of one direction / time both took)" : "; one direction") +
                 "; bytes counted once";
        emit_result(r);
      });
    }
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
        std::vector<double> ms = time_events(gc, [&] {
          chase<<<1, 1, 0, a.s[0]>>>((const uint32_t*)b.buf[1], hops, out);
          CK_LAUNCH();
        }, 1, std::min(c.repeat, 5));
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

void links_teardown() {
  for (auto& d : L.dev) {
    cudaSetDevice(d.id);
    for (int k = 0; k < 2; ++k) {
      if (d.buf[k]) cudaFree(d.buf[k]);
      if (d.s[k]) cudaStreamDestroy(d.s[k]);
      d.buf[k] = nullptr;
      d.s[k] = nullptr;
    }
  }
  L = LinksState{};
}

void gpu_p2p_ce_uni(GpuCtx& c, const KernelInfo& k) { copies(c, k, 0); }
void gpu_p2p_ce_bidir(GpuCtx& c, const KernelInfo& k) { copies(c, k, 1); }
void gpu_p2p_sm_uni(GpuCtx& c, const KernelInfo& k) { copies(c, k, 2); }
void gpu_p2p_sm_bidir(GpuCtx& c, const KernelInfo& k) { copies(c, k, 3); }
void gpu_p2p_latency(GpuCtx& c, const KernelInfo& k) { latencies(c, k); }
void gpu_h2d_numa(GpuCtx& c, const KernelInfo& k) {
  links_teardown();  // the last links row: the pair buffers are no longer needed
  h2d_numa(c, k, chosen_gpus(c));
  cudaSetDevice(c.dev);
}
