// Links suite: copies between every ordered GPU pair, as nvbandwidth measures them (copy engine:
// cudaMemcpyPeerAsync; SM: a copy kernel on the source GPU writing into the peer's memory; bidirectional:
// both directions at once, reported per direction), peer read latency by pointer chase (links_latency.cu),
// and host-to-device copies per GPU from pinned memory first touched on the GPU's own NUMA node
// (links_numa.cu). Bytes are counted once.
#include <algorithm>
#include <functional>
#include <string>

#include "json.hpp"
#include "links.cuh"
#include "suites.hpp"

using namespace links;

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

__global__ void fill_u32(uint32_t* p, int64_t n, uint32_t salt) {
  const int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
  if (i < n) p[i] = (uint32_t)i * 2654435761u + salt;
}

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
}  // namespace

namespace links {
LinksState L;

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
}  // namespace links

namespace {
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
