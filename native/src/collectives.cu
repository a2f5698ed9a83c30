// Collectives suite: NCCL (loaded at run time, nccl_dl.cpp) all-reduce, all-gather, reduce-scatter and
// broadcast across the chosen GPUs, one process driving all of them (ncclCommInitAll + group calls), for
// message sizes 8 B .. coll_max (x2). Timing as nccl-tests does it: host wall clock around a batch of
// back-to-back operations and the synchronisation of every GPU's stream, divided by the batch size.
// algbw = S / t and busbw = algbw x factor, with S the total message (nccl-tests doc/PERFORMANCE.md):
// all-reduce 2(n-1)/n, all-gather and reduce-scatter (n-1)/n (S = per-rank count x 4 B x n), broadcast 1.
#include <chrono>
#include <cmath>

#include "cluster.cuh"
#include "json.hpp"
#include "nccl_dl.hpp"
#include "suites.hpp"

namespace {
__global__ void fill_f32(float* p, int64_t n, float v) {
  const int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
  if (i < n) p[i] = v;
}

enum Coll { AllReduce, AllGather, ReduceScatter, Broadcast };
const char* kNames[] = {"all_reduce", "all_gather", "reduce_scatter", "broadcast"};

double bus_factor(Coll k, int n) {
  switch (k) {
    case AllReduce: return 2.0 * (n - 1) / n;
    case AllGather:
    case ReduceScatter: return double(n - 1) / n;
    default: return 1.0;
  }
}

struct NcclError : CudaError {  // reported like a CUDA failure (cuda_error) by guarded()
  using CudaError::CudaError;
};
void nk(int r, const char* what) {
  if (r != 0) throw NcclError(std::string(what) + ": " + nccl::api().getErrorString(r));
}

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
}  // namespace

void run_collectives(GpuCtx& c) {
  const Options& o = c.o;
  bool any = false;
  for (const char* k : kNames) any |= o.selected("collectives", k);
  if (!any) return;
  const std::vector<int> gpus = chosen_gpus(c);
  const int n = (int)gpus.size();
  auto skip_all = [&](const std::string& why) {
    for (const char* k : kNames)
      if (o.selected("collectives", k)) emit_skip("collectives", k, why);
  };
  if (n < 2) return skip_all("needs two or more GPUs (--gpus)");
  const nccl::Api& api = nccl::api();
  if (!api.ok) return skip_all(api.error);
  std::vector<nccl::Comm> comm(n, nullptr);
  std::vector<cudaStream_t> st(n, nullptr);
  std::vector<float*> sb(n, nullptr), rb(n, nullptr);
  const uint64_t max_bytes = o.sz.coll_max / (4ull * n) * (4ull * n);
  bool ready = false;
  const char* first = "broadcast";
  for (int k = 3; k >= 0; --k)
    if (o.selected("collectives", kNames[k])) first = kNames[k];
  guarded(c, "collectives", first, [&] {
    nk(api.commInitAll(comm.data(), n, gpus.data()), "ncclCommInitAll");
    for (int r = 0; r < n; ++r) {
      CK(cudaSetDevice(gpus[r]));
      CK(cudaStreamCreateWithFlags(&st[r], cudaStreamNonBlocking));
      CK(cudaMalloc(reinterpret_cast<void**>(&sb[r]), max_bytes));
      CK(cudaMalloc(reinterpret_cast<void**>(&rb[r]), max_bytes));
    }
    ready = true;
  });
  const int ver = api.version;
  const std::string vtext = std::to_string(ver / 10000) + "." + std::to_string(ver / 100 % 100) + "." + std::to_string(ver % 100);
  for (int k = 0; ready && k < 4; ++k) {
    const Coll kind = (Coll)k;
    if (!o.selected("collectives", kNames[k])) continue;
    for (uint64_t S = 8; S <= o.sz.coll_max; S *= 2) {
      // Per-rank element counts; S rounded down to a multiple of 4 B x n where the operation splits it.
      const bool split = kind == AllGather || kind == ReduceScatter;
      const size_t per = split ? std::max<size_t>(1, S / (4ull * n)) : std::max<size_t>(1, S / 4);
      const size_t total = split ? per * n : per;  // elements of the full message
      const double bytes = 4.0 * total;
      if (bytes > (double)max_bytes) break;
      const std::string name = std::string(kNames[k]) + "_" + std::to_string((uint64_t)bytes);
      guarded(c, "collectives", kNames[k], [&] {
        for (int r = 0; r < n; ++r) {
          CK(cudaSetDevice(gpus[r]));
          fill_f32<<<grid_for(total, 256), 256, 0, st[r]>>>(sb[r], total, float(r + 1));
          CK_LAUNCH();
          CK(cudaMemsetAsync(rb[r], 0xFF, 4 * total, st[r]));
        }
        auto op = [&] {
          nk(api.groupStart(), "ncclGroupStart");
          for (int r = 0; r < n; ++r) {
            switch (kind) {
              case AllReduce: nk(api.allReduce(sb[r], rb[r], per, nccl::kFloat32, nccl::kSum, comm[r], st[r]), "ncclAllReduce"); break;
              case AllGather: nk(api.allGather(sb[r], rb[r], per, nccl::kFloat32, comm[r], st[r]), "ncclAllGather"); break;
              case ReduceScatter: nk(api.reduceScatter(sb[r], rb[r], per, nccl::kFloat32, nccl::kSum, comm[r], st[r]), "ncclReduceScatter"); break;
              case Broadcast: nk(api.broadcast(sb[r], rb[r], per, nccl::kFloat32, 0, comm[r], st[r]), "ncclBroadcast"); break;
            }
          }
          nk(api.groupEnd(), "ncclGroupEnd");
        };
        auto sync = [&] {
          for (int r = 0; r < n; ++r) {
            CK(cudaSetDevice(gpus[r]));
            CK(cudaStreamSynchronize(st[r]));
          }
        };
        sync();
        op();
        sync();
        // Check the last rank's output: sampled elements (first 4096 and the last).
        const size_t outn = kind == ReduceScatter ? per : total;
        std::vector<float> h(std::min<size_t>(outn, 4096));
        float lastv = 0;
        CK(cudaSetDevice(gpus[n - 1]));
        CK(cudaMemcpy(h.data(), rb[n - 1], h.size() * 4, cudaMemcpyDeviceToHost));
        CK(cudaMemcpy(&lastv, rb[n - 1] + outn - 1, 4, cudaMemcpyDeviceToHost));
        auto expect = [&](size_t i) -> float {
          switch (kind) {
            case AllReduce:
            case ReduceScatter: return float(n * (n + 1) / 2);
            case AllGather: return float(i / per + 1);
            default: return 1.0f;
          }
        };
        double err = 0;
        bool ok = true;
        for (size_t i = 0; i < h.size(); ++i) {
          const double d = std::fabs(double(h[i]) - expect(i));
          ok &= std::isfinite(h[i]);
          err = std::max(err, d);
        }
        err = std::max(err, std::fabs(double(lastv) - expect(outn - 1)));
        ok &= std::isfinite(lastv) && err == 0;
        // Batches of back-to-back operations; sample = batch time / batch size.
        const int iters = bytes <= (1 << 20) ? 50 : bytes <= (64 << 20) ? 20 : 5;
        const int batches = o.quick ? 3 : 5;
        for (int w = 0; w < 3; ++w) op();
        sync();
        std::vector<double> ms;
        for (int b = 0; b < batches; ++b) {
          const double t0 = now_s();
          for (int i = 0; i < iters; ++i) op();
          sync();
          ms.push_back((now_s() - t0) * 1e3 / iters);
        }
        CK(cudaSetDevice(c.dev));
        Result r;
        r.suite = "collectives";
        r.name = name;
        r.unit = "GB/s";
        r.samples_ms = ms;
        r.median_ms = median(ms);
        const double algbw = bytes / (r.median_ms * 1e-3) / 1e9, busbw = algbw * bus_factor(kind, n);
        r.value = busbw;
        r.bytes = bytes;
        r.check.metric = "max_abs";
        r.check.error = err;
        r.check.bound = 0;
        r.check.passed = ok;
        if (!ok) r.check.detail = "rank " + std::to_string(n - 1) + " holds wrong values";
        r.size = {{"bytes", bytes}, {"ranks", (double)n}};
        r.extra = {{"algbw", algbw}, {"busbw", busbw}, {"ranks", (double)n}, {"ncclVersion", (double)ver}};
        r.note = std::string("NCCL ") + vtext + ", fp32, one process, " + std::to_string(n) + " GPUs; value = busbw (nccl-tests), host clock over " +
                 std::to_string(iters) + " back-to-back ops";
        emit_result(r);
      });
      if (c.dead) break;
    }
  }
  for (int r = 0; r < n; ++r) {
    cudaSetDevice(gpus[r]);
    if (sb[r]) cudaFree(sb[r]);
    if (rb[r]) cudaFree(rb[r]);
    if (st[r]) cudaStreamDestroy(st[r]);
    if (comm[r]) api.commDestroy(comm[r]);
  }
  cudaSetDevice(c.dev);
}
