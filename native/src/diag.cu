// Diag suite, memory test (issue 20): mem_pct% of the free memory in one allocation, tested with walking
// ones, moving inversions and random patterns. Each pass checks the previous pattern and writes the next
// in one 16-byte-vector sweep; mismatches are counted and the first 8 addresses kept. --inject-fault
// mem_bitflip flips one bit between a write and its check (test only). Emits a `diag` line (PROTOCOL.md).
#include <algorithm>
#include <cstdio>

#include "diag.cuh"
#include "json.hpp"
#include "philox.hpp"
#include "suites.hpp"

namespace {
struct MemErr {
  unsigned long long errors, found, first[8];
};
enum Mode { kConst = 0, kRand = 1 };

// word j of 16-byte vector i: a constant, or Philox(i) xor p (p = 0 or ~0: the random pattern and its inverse)
__device__ __forceinline__ uint4 pattern(int mode, uint32_t p, int64_t i, uint32_t k0, uint32_t k1) {
  if (mode == kConst) return make_uint4(p, p, p, p);
  U32x4 r = philox4x32_10({(uint32_t)i, (uint32_t)(i >> 32), 0x6d656d74u, 0}, k0, k1);
  return make_uint4(r.x ^ p, r.y ^ p, r.z ^ p, r.w ^ p);
}

__device__ void mismatch(MemErr* e, const uint4* base, int64_t i, int word) {
  atomicAdd(&e->errors, 1ull);
  const unsigned long long slot = atomicAdd(&e->found, 1ull);
  if (slot < 8) e->first[slot] = (unsigned long long)(reinterpret_cast<const char*>(base + i) + 4 * word);
}

// check (cmode, cp) when check != 0, then write (wmode, wp) when write != 0: one read and/or one write per vector
__global__ void sweep(uint4* m, int64_t n4, int check, int cmode, uint32_t cp, int write, int wmode, uint32_t wp, uint32_t k0, uint32_t k1,
                      MemErr* e) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n4; i += (int64_t)gridDim.x * blockDim.x) {
    if (check) {
      const uint4 v = __ldcs(m + i), w = pattern(cmode, cp, i, k0, k1);
      if (v.x != w.x) mismatch(e, m, i, 0);
      if (v.y != w.y) mismatch(e, m, i, 1);
      if (v.z != w.z) mismatch(e, m, i, 2);
      if (v.w != w.w) mismatch(e, m, i, 3);
    }
    if (write) __stcs(m + i, pattern(wmode, wp, i, k0, k1));
  }
}
}  // namespace

void gpu_memtest(GpuCtx& c, const KernelInfo& k) {
  size_t free_b = 0, total_b = 0;
  CK(cudaMemGetInfo(&free_b, &total_b));
  const size_t want = (size_t)((double)free_b * (double)c.o.sz.mem_pct / 100.0) / (2u << 20) * (2u << 20);
  void* raw = nullptr;
  size_t bytes = want;
  while (bytes >= (64u << 20) && cudaMalloc(&raw, bytes) != cudaSuccess) {
    cudaGetLastError();  // clear the allocation failure; try 1% less
    bytes = (size_t)(bytes * 0.99) / (2u << 20) * (2u << 20);
  }
  if (!raw) throw CudaError("cudaMalloc failed for every size down to 64 MiB (free " + std::to_string(free_b) + " bytes)");
  DevBuf<uint4> m;
  m.p = static_cast<uint4*>(raw);
  m.n = bytes / 16;
  DevBuf<MemErr> e(1);
  CK(cudaMemsetAsync(e.p, 0, sizeof(MemErr), c.s));
  const int64_t n4 = (int64_t)m.n;
  const uint32_t k0 = key0(c.o.seed, 31), k1 = key1(c.o.seed, 31);
  const int grid = c.prop.multiProcessorCount * 8;
  double traffic = 0;
  int passes = 0;
  auto pass = [&](int check, int cmode, uint32_t cp, int write, int wmode, uint32_t wp) {
    sweep<<<grid, 512, 0, c.s>>>(m.p, n4, check, cmode, cp, write, wmode, wp, k0, k1, e.p);
    CK_LAUNCH();
    traffic += (double)bytes * (check + write);
    ++passes;
  };
  cudaEvent_t t0, t1;
  CK(cudaEventCreate(&t0));
  CK(cudaEventCreate(&t1));
  CK(cudaEventRecord(t0, c.s));
  // walking ones: 1 << b for b = 0..31 (the planted fault lands between the first write and its check)
  pass(0, kConst, 0, 1, kConst, 1u);
  if (c.o.fault == "mem_bitflip") flip_bit(c, reinterpret_cast<uint32_t*>(m.p) + (n4 * 4) / 3, 1u << 7);
  for (int b = 1; b < 32; ++b) pass(1, kConst, 1u << (b - 1), 1, kConst, 1u << b);
  // moving inversions: p, ~p, p (checked before each overwrite) for two patterns
  uint32_t last = 1u << 31;  // the pattern in memory now
  for (uint32_t p : {0x00000000u, 0x55555555u}) {
    pass(1, kConst, last, 1, kConst, p);
    pass(1, kConst, p, 1, kConst, ~p);
    pass(1, kConst, ~p, 1, kConst, p);
    last = p;
  }
  // random pattern and its inverse
  pass(1, kConst, last, 1, kRand, 0u);
  pass(1, kRand, 0u, 1, kRand, ~0u);
  pass(1, kRand, ~0u, 0, kRand, 0u);
  CK(cudaEventRecord(t1, c.s));
  CK(cudaEventSynchronize(t1));
  float ms = 0;
  CK(cudaEventElapsedTime(&ms, t0, t1));
  cudaEventDestroy(t0);
  cudaEventDestroy(t1);
  MemErr h{};
  CK(cudaMemcpy(&h, e.p, sizeof h, cudaMemcpyDeviceToHost));
  std::vector<unsigned long long> first(h.first, h.first + std::min<unsigned long long>(h.found, 8));
  std::sort(first.begin(), first.end());
  std::string addrs = "[";
  for (size_t i = 0; i < first.size(); ++i) {
    char b[32];
    std::snprintf(b, sizeof b, "%s\"0x%llx\"", i ? "," : "", first[i]);
    addrs += b;
  }
  addrs += "]";
  JsonObj j;
  j.str("type", "diag").str("name", k.name).boolean("passed", h.errors == 0).integer("errors", (int64_t)h.errors);
  j.raw("firstAddresses", addrs).num("freeBytes", (double)free_b).num("totalBytes", (double)total_b);
  j.num("bytesTested", (double)bytes).num("coverage", (double)bytes / (double)free_b).integer("passes", passes);
  j.num("trafficBytes", traffic).num("seconds", ms / 1e3).num("GBs", traffic / (ms / 1e3) / 1e9);
  j.str("patterns", "walking ones (32), moving inversions 0x00000000/0x55555555, random + inverse (Philox)");
  if (!c.o.fault.empty()) j.str("faultInjected", c.o.fault);
  emit_line(j.done());
  if (h.errors) {
    emit_error("check_failed", k.suite, k.name, std::to_string(h.errors) + " memory errors; first at " + addrs);
    count_failure();
  }
}
