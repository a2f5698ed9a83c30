// Memory suite: copy and STREAM triad kernels with 16-byte accesses, cudaMemcpy D2D as the ceiling, and
// host<->device copies. Device figures count bytes read + bytes written; host copies count the bytes
// transferred (each byte once).
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "check.hpp"
#include "gpu.cuh"
#include "json.hpp"
#include "philox.hpp"
#include "suites.hpp"
#include "threads.hpp"

namespace {
constexpr int kBlock = 256, kUnroll = 4;

// Fill with 1 + u, u in (0,1): never zero, deterministic per index (host can regenerate it).
__global__ void fill_kernel(float4* p, int64_t n4, uint32_t k0, uint32_t k1) {
  const int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
  if (i >= n4) return;
  U32x4 r = philox4x32_10({(uint32_t)i, (uint32_t)(i >> 32), 0, 0}, k0, k1);
  p[i] = make_float4(1.f + u01f(r.x), 1.f + u01f(r.y), 1.f + u01f(r.z), 1.f + u01f(r.w));
}
void fill_host(float* p, int64_t n4, uint32_t k0, uint32_t k1) {
  parallel_for(n4, [&](int64_t i) {
    U32x4 r = philox4x32_10({(uint32_t)i, (uint32_t)(i >> 32), 0, 0}, k0, k1);
    p[4 * i] = 1.f + u01f(r.x);
    p[4 * i + 1] = 1.f + u01f(r.y);
    p[4 * i + 2] = 1.f + u01f(r.z);
    p[4 * i + 3] = 1.f + u01f(r.w);
  });
}

// Each thread moves kUnroll 16-byte vectors; all loads are issued before the first store.
__global__ __launch_bounds__(kBlock) void copy_kernel(const uint4* __restrict__ src, uint4* __restrict__ dst, int64_t n4) {
  const int64_t base = (int64_t)blockIdx.x * kBlock * kUnroll + threadIdx.x;
  uint4 v[kUnroll];
#pragma unroll
  for (int u = 0; u < kUnroll; ++u) {
    const int64_t i = base + u * kBlock;
    if (i < n4) v[u] = __ldcs(src + i);
  }
#pragma unroll
  for (int u = 0; u < kUnroll; ++u) {
    const int64_t i = base + u * kBlock;
    if (i < n4) __stcs(dst + i, v[u]);
  }
}

__global__ __launch_bounds__(kBlock) void triad_kernel(float4* __restrict__ a, const float4* __restrict__ b,
                                                       const float4* __restrict__ c, float s, int64_t n4) {
  const int64_t base = (int64_t)blockIdx.x * kBlock * kUnroll + threadIdx.x;
  float4 x[kUnroll], y[kUnroll];
#pragma unroll
  for (int u = 0; u < kUnroll; ++u) {
    const int64_t i = base + u * kBlock;
    if (i < n4) {
      x[u] = __ldcs(b + i);
      y[u] = __ldcs(c + i);
    }
  }
#pragma unroll
  for (int u = 0; u < kUnroll; ++u) {
    const int64_t i = base + u * kBlock;
    if (i < n4)
      __stcs(a + i, make_float4(x[u].x + s * y[u].x, x[u].y + s * y[u].y, x[u].z + s * y[u].z, x[u].w + s * y[u].w));
  }
}

Result mem_result(const char* name, const std::vector<double>& ms, double bytes, const char* note) {
  Result r;
  r.suite = "memory";
  r.name = name;
  r.unit = "GB/s";
  r.bytes = bytes;
  fill_result(r, ms, bytes, 1e9);
  r.note = note;
  return r;
}

Check exact_check(const float* got, const float* want, int64_t n) {
  Check c;
  c.metric = "max_abs";
  c.bound = 0;
  int64_t bad = 0;
  double err = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (!std::isfinite(got[i])) ++bad;
    else err = std::max(err, (double)std::fabs(got[i] - want[i]));
  }
  c.error = bad ? INFINITY : err;
  c.passed = bad == 0 && err == 0;
  if (bad) c.detail = std::to_string(bad) + " outputs not written";
  return c;
}
}  // namespace

void run_memory(GpuCtx& c) {
  const Options& o = c.o;
  const int64_t n4 = (int64_t)(o.sz.bytes / 16), n = 4 * n4;
  const double bytes = 16.0 * n4;
  const uint32_t k0 = key0(o.seed, 21), k1 = key0(o.seed, 22), k2 = key1(o.seed, 21), k3 = key1(o.seed, 22);
  bool need_dev = false;
  for (const char* k : {"d2d_copy", "triad", "memcpy_d2d"}) need_dev |= o.selected("memory", k);
  DevBuf<float4> a, b, cc;
  const int grid = grid_for(n4, kBlock * kUnroll);
  if (need_dev) {
    try {
      a.alloc(n4);
      b.alloc(n4);
      cc.alloc(n4);
      fill_kernel<<<grid_for(n4, 256), 256, 0, c.s>>>(b.p, n4, k0, k2);
      CK_LAUNCH();
      fill_kernel<<<grid_for(n4, 256), 256, 0, c.s>>>(cc.p, n4, k1, k3);
      CK_LAUNCH();
      CK(cudaStreamSynchronize(c.s));
    } catch (const CudaError& e) {
      for (const char* k : {"d2d_copy", "triad", "memcpy_d2d"})
        if (o.selected("memory", k)) {
          emit_error("cuda_error", "memory", k, e.what());
          count_failure();
        }
      need_dev = false;
      c.dead = cudaDeviceSynchronize() != cudaSuccess;
    }
  }
  std::vector<float> hb, hc, got;
  if (need_dev) {
    hb.resize(n);
    fill_host(hb.data(), n4, k0, k2);
  }
  if (need_dev) guarded(c, "memory", "d2d_copy", [&] {
    auto f = [&] {
      copy_kernel<<<grid, kBlock, 0, c.s>>>(reinterpret_cast<const uint4*>(b.p), reinterpret_cast<uint4*>(a.p), n4);
      CK_LAUNCH();
    };
    poison(a.p, a.bytes(), c.s);
    f();
    to_host_raw(got, a.p, n, c.s);
    Result r = mem_result("d2d_copy", time_events(c, f), 2 * bytes, "bytes = read + written (2 x buffer); kernel, 16-byte vector loads/stores");
    r.check = exact_check(got.data(), hb.data(), n);
    r.size = {{"bytes", bytes}};
    emit_result(r);
  });
  if (need_dev) guarded(c, "memory", "triad", [&] {
    const float s = 3.0f;
    auto f = [&] {
      triad_kernel<<<grid, kBlock, 0, c.s>>>(a.p, b.p, cc.p, s, n4);
      CK_LAUNCH();
    };
    poison(a.p, a.bytes(), c.s);
    f();
    to_host_raw(got, a.p, n, c.s);
    hc.resize(n);
    fill_host(hc.data(), n4, k1, k3);
    std::vector<double> ref(n);
    parallel_for(n, [&](int64_t i) { ref[i] = (double)hb[i] + (double)s * hc[i]; });
    Result r = mem_result("triad", time_events(c, f), 3 * bytes, "bytes = read + written (3 x buffer); a = b + s*c, 16-byte vector accesses");
    r.check = check_rel_l2(got.data(), ref.data(), n, 1e-6);
    r.size = {{"bytes", bytes}};
    emit_result(r);
  });
  if (need_dev) guarded(c, "memory", "memcpy_d2d", [&] {
    auto f = [&] { CK(cudaMemcpyAsync(a.p, b.p, bytes, cudaMemcpyDeviceToDevice, c.s)); };
    poison(a.p, a.bytes(), c.s);
    f();
    to_host_raw(got, a.p, n, c.s);
    Result r = mem_result("memcpy_d2d", time_events(c, f), 2 * bytes, "bytes = read + written (2 x buffer); cudaMemcpyAsync device-to-device: the ceiling");
    r.check = exact_check(got.data(), hb.data(), n);
    r.size = {{"bytes", bytes}};
    emit_result(r);
  });
  a.free();
  b.free();
  cc.free();

  // Host <-> device: at most 256 MiB per transfer.
  const int64_t hbytes = std::min<int64_t>((int64_t)o.sz.bytes, 256ll << 20), hn = hbytes / 4;
  const int hrep = std::min(c.repeat, 10);
  for (int pinned = 1; pinned >= 0; --pinned) {
    const char* up = pinned ? "h2d_pinned" : "h2d_pageable";
    const char* down = pinned ? "d2h_pinned" : "d2h_pageable";
    if (!o.selected("memory", up) && !o.selected("memory", down)) continue;
    float *src = nullptr, *dst = nullptr;
    std::vector<float> psrc, pdst;
    DevBuf<float> d;
    guarded(c, "memory", o.selected("memory", up) ? up : down, [&] {
      d.alloc(hn);
      if (pinned) {
        CK(cudaMallocHost(reinterpret_cast<void**>(&src), hbytes));
        CK(cudaMallocHost(reinterpret_cast<void**>(&dst), hbytes));
      } else {
        psrc.resize(hn);
        pdst.resize(hn);
        src = psrc.data();
        dst = pdst.data();
      }
      fill_host(src, hn / 4, k0, k1);
      const char* note = pinned ? "bytes = bytes transferred (each byte counted once); pinned host buffer"
                                : "bytes = bytes transferred (each byte counted once); pageable host buffer (malloc)";
      // Round trip once for the check (both directions), then time each direction.
      poison(d.p, d.bytes(), c.s);
      std::memset(dst, 0xFF, hbytes);
      CK(cudaMemcpyAsync(d.p, src, hbytes, cudaMemcpyHostToDevice, c.s));
      CK(cudaMemcpyAsync(dst, d.p, hbytes, cudaMemcpyDeviceToHost, c.s));
      CK(cudaStreamSynchronize(c.s));
      Check chk = exact_check(dst, src, hn);
      if (o.selected("memory", up)) {
        Result r = mem_result(up, time_events(c, [&] { CK(cudaMemcpyAsync(d.p, src, hbytes, cudaMemcpyHostToDevice, c.s)); }, 2, hrep),
                              (double)hbytes, note);
        r.check = chk;
        r.size = {{"bytes", (double)hbytes}};
        emit_result(r);
      }
      if (o.selected("memory", down)) {
        Result r = mem_result(down, time_events(c, [&] { CK(cudaMemcpyAsync(dst, d.p, hbytes, cudaMemcpyDeviceToHost, c.s)); }, 2, hrep),
                              (double)hbytes, note);
        r.check = chk;
        r.size = {{"bytes", (double)hbytes}};
        emit_result(r);
      }
    });
    if (pinned) {
      if (src) cudaFreeHost(src);
      if (dst) cudaFreeHost(dst);
    }
  }
}
