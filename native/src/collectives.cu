// Collectives suite: NCCL (loaded at run time, nccl_dl.cpp) all-reduce, all-gather, reduce-scatter and
// broadcast across the chosen GPUs, one host thread per GPU (ncclGetUniqueId + ncclCommInitRank in each,
// as nccl-tests -t N and one-process-per-GPU frameworks drive NCCL), for message sizes 8 B .. coll_max (x2).
// Timing as nccl-tests does it: the host clock around a batch of back-to-back operations and the
// synchronisation of the rank's stream, divided by the batch size; the figure is rank 0's median batch.
// algbw = S / t and busbw = algbw x factor, with S the total message (nccl-tests doc/PERFORMANCE.md):
// all-reduce 2(n-1)/n, all-gather and reduce-scatter (n-1)/n (S = per-rank count x 4 B x n), broadcast 1.
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

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

class Barrier {
 public:
  explicit Barrier(int n) : n_(n) {}
  void wait() {
    std::unique_lock<std::mutex> l(m_);
    const int gen = gen_;
    if (++count_ == n_) {
      count_ = 0;
      ++gen_;
      cv_.notify_all();
    } else {
      cv_.wait(l, [&] { return gen != gen_; });
    }
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  int n_, count_ = 0, gen_ = 0;
};

// Runs f(rank) on one thread per rank; the first exception is rethrown here.
void on_ranks(int n, const std::function<void(int)>& f) {
  std::vector<std::thread> t;
  std::mutex m;
  std::string err;
  for (int r = 0; r < n; ++r)
    t.emplace_back([&, r] {
      try {
        f(r);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> l(m);
        if (err.empty()) err = e.what();
      }
    });
  for (auto& x : t) x.join();
  if (!err.empty()) throw CudaError(err);
}

// Communicators, streams and buffers on every chosen GPU, from the first collectives row to teardown.
struct CollState {
  bool tried = false, ready = false;
  std::vector<int> gpus;
  std::vector<nccl::Comm> comm;
  std::vector<cudaStream_t> st;
  std::vector<float*> sb, rb;
  uint64_t max_bytes = 0;
} C;

void setup(GpuCtx& c) {
  if (C.tried) {
    if (!C.ready) throw CudaError("collectives: setting up NCCL failed in an earlier row");
    return;
  }
  C.tried = true;
  const nccl::Api& api = nccl::api();
  C.gpus = chosen_gpus(c);
  const int n = (int)C.gpus.size();
  C.comm.assign(n, nullptr);
  C.st.assign(n, nullptr);
  C.sb.assign(n, nullptr);
  C.rb.assign(n, nullptr);
  C.max_bytes = c.o.sz.coll_max / (4ull * n) * (4ull * n);
  nccl::UniqueId id;
  nk(api.getUniqueId(&id), "ncclGetUniqueId");
  on_ranks(n, [&](int r) {
    CK(cudaSetDevice(C.gpus[r]));
    CK(cudaStreamCreateWithFlags(&C.st[r], cudaStreamNonBlocking));
    CK(cudaMalloc(reinterpret_cast<void**>(&C.sb[r]), C.max_bytes));
    CK(cudaMalloc(reinterpret_cast<void**>(&C.rb[r]), C.max_bytes));
    nk(api.commInitRank(&C.comm[r], n, id, r), "ncclCommInitRank");
  });
  CK(cudaSetDevice(c.dev));
  C.ready = true;
}

void run(GpuCtx& c, const KernelInfo& k, Coll kind) {
  const std::vector<int> gpus = chosen_gpus(c);
  const int n = (int)gpus.size();
  if (n < 2) return emit_skip(k.suite, k.name, "needs two or more GPUs (--gpus)");
  const nccl::Api& api = nccl::api();
  if (!api.ok) return emit_skip(k.suite, k.name, api.error);
  setup(c);
  const int ver = api.version;
  const std::string vtext = std::to_string(ver / 10000) + "." + std::to_string(ver / 100 % 100) + "." + std::to_string(ver % 100);
  const bool split = kind == AllGather || kind == ReduceScatter;
  for (uint64_t S = 8; S <= c.o.sz.coll_max && !c.dead; S *= 2) {
    // Per-rank element counts; S rounded down to a multiple of 4 B x n where the operation splits it.
    const size_t per = split ? std::max<size_t>(1, S / (4ull * n)) : std::max<size_t>(1, S / 4);
    const size_t total = split ? per * n : per;  // elements of the whole message
    const double bytes = 4.0 * total;
    if (bytes > (double)C.max_bytes) break;
    guarded(c, k.suite, k.name, [&] {
      const int iters = bytes <= (1 << 20) ? 50 : bytes <= (64 << 20) ? 20 : 5;
      const int batches = c.o.quick ? 3 : 5;
      Barrier bar(n);
      std::vector<double> ms(batches, 0.0);
      std::vector<float> h(std::min<size_t>(kind == ReduceScatter ? per : total, 4096));
      float lastv = 0;
      on_ranks(n, [&](int r) {
        CK(cudaSetDevice(gpus[r]));
        fill_f32<<<grid_for(total, 256), 256, 0, C.st[r]>>>(C.sb[r], total, float(r + 1));
        CK_LAUNCH();
        CK(cudaMemsetAsync(C.rb[r], 0xFF, 4 * total, C.st[r]));
        auto op = [&] {
          switch (kind) {
            case AllReduce:
              nk(api.allReduce(C.sb[r], C.rb[r], per, nccl::kFloat32, nccl::kSum, C.comm[r], C.st[r]), "ncclAllReduce");
              break;
            case AllGather: nk(api.allGather(C.sb[r], C.rb[r], per, nccl::kFloat32, C.comm[r], C.st[r]), "ncclAllGather"); break;
            case ReduceScatter:
              nk(api.reduceScatter(C.sb[r], C.rb[r], per, nccl::kFloat32, nccl::kSum, C.comm[r], C.st[r]), "ncclReduceScatter");
              break;
            case Broadcast: nk(api.broadcast(C.sb[r], C.rb[r], per, nccl::kFloat32, 0, C.comm[r], C.st[r]), "ncclBroadcast"); break;
          }
        };
        op();  // the checked run: out of place, so every later run writes the same values
        CK(cudaStreamSynchronize(C.st[r]));
        if (r == n - 1) {
          const size_t outn = kind == ReduceScatter ? per : total;
          CK(cudaMemcpy(h.data(), C.rb[r], h.size() * 4, cudaMemcpyDeviceToHost));
          CK(cudaMemcpy(&lastv, C.rb[r] + outn - 1, 4, cudaMemcpyDeviceToHost));
        }
        for (int w = 0; w < 3; ++w) op();
        CK(cudaStreamSynchronize(C.st[r]));
        for (int b = 0; b < batches; ++b) {
          bar.wait();
          const double t0 = now_s();
          for (int i = 0; i < iters; ++i) op();
          CK(cudaStreamSynchronize(C.st[r]));
          if (r == 0) ms[b] = (now_s() - t0) * 1e3 / iters;
        }
      });
      CK(cudaSetDevice(c.dev));
      const size_t outn = kind == ReduceScatter ? per : total;
      auto expect = [&](size_t i) -> double {
        switch (kind) {
          case AllReduce:
          case ReduceScatter: return n * (n + 1) / 2.0;
          case AllGather: return double(i / per + 1);
          default: return 1.0;
        }
      };
      double err = 0;
      bool ok = std::isfinite(lastv);
      for (size_t i = 0; i < h.size(); ++i) {
        ok = ok && std::isfinite(h[i]);
        err = std::max(err, std::fabs(double(h[i]) - expect(i)));
      }
      err = std::max(err, std::fabs(double(lastv) - expect(outn - 1)));
      ok = ok && err == 0;
      Result r = result_for(k, std::to_string((uint64_t)bytes));
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
      r.note = "NCCL " + vtext + ", fp32, one thread per GPU (" + std::to_string(n) + "); value = busbw (nccl-tests); host clock over " +
               std::to_string(iters) + " back-to-back ops, rank 0";
      emit_result(r);
    });
  }
}
}  // namespace

void collectives_teardown() {
  for (size_t r = 0; r < C.gpus.size(); ++r) {
    cudaSetDevice(C.gpus[r]);
    if (C.comm[r]) nccl::api().commDestroy(C.comm[r]);
    if (C.sb[r]) cudaFree(C.sb[r]);
    if (C.rb[r]) cudaFree(C.rb[r]);
    if (C.st[r]) cudaStreamDestroy(C.st[r]);
  }
  C = CollState{};
}

void gpu_all_reduce(GpuCtx& c, const KernelInfo& k) { run(c, k, AllReduce); }
void gpu_all_gather(GpuCtx& c, const KernelInfo& k) { run(c, k, AllGather); }
void gpu_reduce_scatter(GpuCtx& c, const KernelInfo& k) { run(c, k, ReduceScatter); }
void gpu_broadcast(GpuCtx& c, const KernelInfo& k) { run(c, k, Broadcast); }
