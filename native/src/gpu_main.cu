// GPU mode: driver/runtime checks, the device line, and the dispatch over kernels.inc (GPU column).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "affinity.hpp"
#include "cluster.cuh"
#include "gpu.cuh"
#include "json.hpp"
#include "suites.hpp"

extern const int gpuctl_cuda_runtime = CUDART_VERSION;

using GpuFn = void (*)(GpuCtx&, const KernelInfo&);
#define KERNEL(suite, name, unit, gpu, cpu, description) void gpu(GpuCtx&, const KernelInfo&);
#include "kernels.inc"
#undef KERNEL
// Parallel to kernel_registry(): both are expansions of kernels.inc, row for row.
static const GpuFn kGpuFns[] = {
#define KERNEL(suite, name, unit, gpu, cpu, description) &gpu,
#include "kernels.inc"
#undef KERNEL
};

static __global__ void probe_kernel(int* p) {
  if (p) *p = 1;
}

std::vector<double> time_events(GpuCtx& c, const std::function<void()>& f, int warmup, int repeat) {
  if (warmup < 0) warmup = c.warmup;
  if (repeat < 0) repeat = c.repeat;
  for (int i = 0; i < warmup; ++i) f();
  CK(cudaStreamSynchronize(c.s));
  cudaEvent_t a, b;
  CK(cudaEventCreate(&a));
  CK(cudaEventCreate(&b));
  std::vector<double> ms;
  for (int i = 0; i < repeat; ++i) {
    CK(cudaEventRecord(a, c.s));
    f();
    CK(cudaEventRecord(b, c.s));
    CK(cudaEventSynchronize(b));
    float t = 0;
    CK(cudaEventElapsedTime(&t, a, b));
    ms.push_back(t);
  }
  cudaEventDestroy(a);
  cudaEventDestroy(b);
  return ms;
}

void guarded(GpuCtx& c, const char* suite, const char* name, const std::function<void()>& body) {
  if (!c.o.selected(suite, name)) return;
  if (c.dead) {
    emit_error("cuda_error", suite, name, "not run: an earlier CUDA error left the context unusable");
    count_failure();
    return;
  }
  try {
    body();
  } catch (const CudaError& e) {
    emit_error("cuda_error", suite, name, e.what());
    count_failure();
    cudaGetLastError();
    if (cudaDeviceSynchronize() != cudaSuccess || cudaGetLastError() != cudaSuccess) c.dead = true;
  } catch (const std::bad_alloc&) {
    emit_error("cuda_error", suite, name, "host memory allocation failed");
    count_failure();
  }
}

static std::string ver(int v) { return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10); }

int run_gpu_mode(const Options& o) {
  int drv = 0;
  cudaError_t e = cudaDriverGetVersion(&drv);
  if (e != cudaSuccess || drv == 0) {
    emit_error("no_gpu", "", "", "no NVIDIA driver found (libcuda.so.1 could not be loaded); use --cpu to run the CPU implementations");
    return 3;
  }
  const std::string both = "driver supports CUDA " + ver(drv) + " (" + std::to_string(drv) + "), this program needs CUDA " +
                           ver(CUDART_VERSION) + " (" + std::to_string(CUDART_VERSION) + ")";
  if (drv / 1000 < CUDART_VERSION / 1000) {
    // Driver branches: CUDA 13.x needs R580+, CUDA 12.x R525+ (minor-version compatibility within 12).
    emit_error("driver_too_old", "", "",
               both + (CUDART_VERSION >= 13000 ? ": update the NVIDIA driver (R580 or newer for CUDA 13)"
                                               : ": update the NVIDIA driver (R525 or newer for CUDA 12)"));
    return 3;
  }
  int count = 0;
  e = cudaGetDeviceCount(&count);
  if (e == cudaErrorInsufficientDriver || e == cudaErrorCompatNotSupportedOnDevice) {
    emit_error("driver_too_old", "", "", both + ": " + cudaGetErrorString(e));
    return 3;
  }
  if (e == cudaErrorNoDevice || (e == cudaSuccess && count == 0)) {
    emit_error("no_gpu", "", "", "no CUDA device found");
    return 3;
  }
  if (e != cudaSuccess) {
    emit_error("no_gpu", "", "", std::string("cudaGetDeviceCount failed: ") + cudaGetErrorName(e) + ": " + cudaGetErrorString(e));
    return 3;
  }
  if (drv < CUDART_VERSION) std::fprintf(stderr, "gpuctl-bench: warning: %s (running under minor-version compatibility)\n", both.c_str());
  if (o.device >= count) {
    emit_error("usage", "", "", "--device " + std::to_string(o.device) + " out of range: " + std::to_string(count) + " device(s)");
    return 2;
  }
  for (int g : o.gpus)
    if (g >= count) {
      emit_error("usage", "", "", "--gpus " + std::to_string(g) + " out of range: " + std::to_string(count) + " device(s)");
      return 2;
    }
  // A run on one GPU (the per-GPU suites; one such process per GPU with --gpus) keeps to the CPUs local
  // to its GPU, as nccl-tests and nvbandwidth are run under numactl: its host buffers are then first
  // touched on the GPU's NUMA node and its pageable copies are staged there, and four processes on four
  // GPUs do not crowd one socket. The CPU reference's worker threads keep the whole machine
  // (threads.hpp). GPUCTL_BENCH_BIND=0 leaves the affinity alone.
  std::string bound_cpus, numa_node;
  const char* bind_env = std::getenv("GPUCTL_BENCH_BIND");
  if (o.gpus.size() <= 1 && !(bind_env && std::string(bind_env) == "0")) {
    const std::string dir = gpu_sysfs_dir(o.device);
    if (!dir.empty()) {
      bound_cpus = affinity::bind(read_line(dir + "/local_cpulist"));
      numa_node = read_line(dir + "/numa_node");
    }
  }
  GpuCtx c(o);
  c.dev = o.device;
  c.warmup = o.warmup >= 0 ? o.warmup : (o.quick ? 1 : 3);
  c.repeat = o.repeat > 0 ? o.repeat : (o.quick ? 5 : 20);
  try {
    CK(cudaSetDevice(c.dev));
    CK(cudaGetDeviceProperties(&c.prop, c.dev));
    const int cc = c.prop.major * 10 + c.prop.minor;
    if (cc < 75) {
      emit_error("no_gpu", "", "",
                 std::string(c.prop.name) + " has compute capability " + std::to_string(c.prop.major) + "." + std::to_string(c.prop.minor) +
                     "; gpuctl-bench needs 7.5 (Turing) or newer");
      return 3;
    }
    cudaFuncAttributes fa;
    e = cudaFuncGetAttributes(&fa, probe_kernel);
    if (e != cudaSuccess) {
      extern const char* const gpuctl_built;
      emit_error("cuda_error", "", "",
                 std::string("this binary (") + gpuctl_built + ") has no code for sm_" + std::to_string(cc) + " (" + cudaGetErrorName(e) +
                     "): rebuild with make ARCH=sm_" + std::to_string(cc) + " or use the fat build");
      return 3;
    }
    CK(cudaStreamCreateWithFlags(&c.s, cudaStreamNonBlocking));
    int sm_khz = 0, mem_khz = 0;
    cudaDeviceGetAttribute(&sm_khz, cudaDevAttrClockRate, c.dev);
    cudaDeviceGetAttribute(&mem_khz, cudaDevAttrMemoryClockRate, c.dev);
    JsonObj device;
    device.str("type", "device")
        .integer("index", c.dev)
        .str("name", c.prop.name)
        .str("computeCapability", std::to_string(c.prop.major) + "." + std::to_string(c.prop.minor))
        .integer("sms", c.prop.multiProcessorCount)
        .integer("memoryBytes", static_cast<int64_t>(c.prop.totalGlobalMem))
        .integer("l2Bytes", c.prop.l2CacheSize)
        .integer("smClockMHz", sm_khz / 1000)
        .integer("memClockMHz", mem_khz / 1000)
        .integer("busWidthBits", c.prop.memoryBusWidth)
        .integer("driverCuda", drv)
        .integer("runtimeCuda", CUDART_VERSION);
    // Where this process runs: the CPUs it was bound to (null when it was not) and its GPU's NUMA node.
    if (bound_cpus.empty()) device.raw("cpuAffinity", "null");
    else device.str("cpuAffinity", bound_cpus);
    const int node = numa_node.empty() ? -1 : std::atoi(numa_node.c_str());  // sysfs says -1 when it has none
    if (node >= 0) device.integer("numaNode", node);
    else device.raw("numaNode", "null");
    emit_line(device.done());
  } catch (const CudaError& err) {
    emit_error("cuda_error", "", "", err.what());
    return 3;
  }
  const std::vector<KernelInfo>& reg = kernel_registry();
  if (reg.size() != sizeof kGpuFns / sizeof kGpuFns[0]) {
    emit_error("cuda_error", "", "", "internal: kernel table and GPU dispatch differ in length");
    return 1;
  }
  for (size_t i = 0; i < reg.size(); ++i) guarded(c, reg[i].suite, reg[i].name, [&] { kGpuFns[i](c, reg[i]); });
  cluster_teardown();  // links buffers, NCCL communicators (cluster.cuh)
  if (c.s) cudaStreamDestroy(c.s);
  return 0;
}
