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

__global__ __launch_bounds__(kBlock) void triad_kernel(float4* __restrict__ a, const float4* __restrict__ b, const float4* __restrict__ c,
                                                       float s, int64_t n4) {
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
    if (i < n4) __stcs(a + i, make_float4(x[u].x + s * y[u].x, x[u].y + s * y[u].y, x[u].z + s * y[u].z, x[u].w + s * y[u].w));
  }
}

Result mem_result(const KernelInfo& k, const std::vector<double>& ms, double bytes, const char* note) {
  Result r = result_for(k);
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
// Device buffers of o.sz.bytes each: b and c filled with 1 + u (Philox), a the output; hb = b on the host.
struct DeviceSet {
  int64_t n4, n;
  double bytes;
  uint32_t k0, k1, k2, k3;
  DevBuf<float4> a, b, c;
  std::vector<float> hb;
  DeviceSet(GpuCtx& ctx, bool with_c) {
    const Options& o = ctx.o;
    n4 = (int64_t)(o.sz.bytes / 16);
    n = 4 * n4;
    bytes = 16.0 * n4;
    k0 = key0(o.seed, 21), k1 = key0(o.seed, 22), k2 = key1(o.seed, 21), k3 = key1(o.seed, 22);
    a.alloc(n4);
    b.alloc(n4);
    fill_kernel<<<grid_for(n4, 256), 256, 0, ctx.s>>>(b.p, n4, k0, k2);
    CK_LAUNCH();
    if (with_c) {
      c.alloc(n4);
      fill_kernel<<<grid_for(n4, 256), 256, 0, ctx.s>>>(c.p, n4, k1, k3);
      CK_LAUNCH();
    }
    CK(cudaStreamSynchronize(ctx.s));
    hb.resize(n);
    fill_host(hb.data(), n4, k0, k2);
  }
  int grid() const { return grid_for(n4, kBlock * kUnroll); }
};

// Host <-> device, at most 256 MiB per transfer: a round trip for the check, then one direction timed.
void host_copy(GpuCtx& c, const KernelInfo& k, bool pinned, bool up) {
  const Options& o = c.o;
  const int64_t hbytes = std::min<int64_t>((int64_t)o.sz.bytes, 256ll << 20), hn = hbytes / 4;
  const int hrep = std::min(c.repeat, 10);
  struct Host {
    float *src = nullptr, *dst = nullptr;
    ~Host() {
      if (src) cudaFreeHost(src);
      if (dst) cudaFreeHost(dst);
    }
  } pin;
  float *src = nullptr, *dst = nullptr;
  std::vector<float> psrc, pdst;
  DevBuf<float> d(hn);
  if (pinned) {
    CK(cudaMallocHost(reinterpret_cast<void**>(&pin.src), hbytes));
    CK(cudaMallocHost(reinterpret_cast<void**>(&pin.dst), hbytes));
    src = pin.src;
    dst = pin.dst;
  } else {
    psrc.resize(hn);
    pdst.resize(hn);
    src = psrc.data();
    dst = pdst.data();
  }
  fill_host(src, hn / 4, key0(o.seed, 21), key0(o.seed, 22));
  const char* note = pinned ? "bytes = bytes transferred (each byte counted once); pinned host buffer"
                            : "bytes = bytes transferred (each byte counted once); pageable host buffer (malloc)";
  poison(d.p, d.bytes(), c.s);
  std::memset(dst, 0xFF, hbytes);
  CK(cudaMemcpyAsync(d.p, src, hbytes, cudaMemcpyHostToDevice, c.s));
  CK(cudaMemcpyAsync(dst, d.p, hbytes, cudaMemcpyDeviceToHost, c.s));
  CK(cudaStreamSynchronize(c.s));
  Check chk = exact_check(dst, src, hn);
  auto f = [&] {
    if (up) CK(cudaMemcpyAsync(d.p, src, hbytes, cudaMemcpyHostToDevice, c.s));
    else CK(cudaMemcpyAsync(dst, d.p, hbytes, cudaMemcpyDeviceToHost, c.s));
  };
  Result r = mem_result(k, time_events(c, f, 2, hrep), (double)hbytes, note);
  r.check = chk;
  r.size = {{"bytes", (double)hbytes}};
  emit_result(r);
}
}  // namespace

void gpu_d2d_copy(GpuCtx& c, const KernelInfo& k) {
  DeviceSet m(c, false);
  auto f = [&] {
    copy_kernel<<<m.grid(), kBlock, 0, c.s>>>(reinterpret_cast<const uint4*>(m.b.p), reinterpret_cast<uint4*>(m.a.p), m.n4);
    CK_LAUNCH();
  };
  std::vector<float> got;
  poison(m.a.p, m.a.bytes(), c.s);
  f();
  to_host_raw(got, m.a.p, m.n, c.s);
  Result r = mem_result(k, time_events(c, f), 2 * m.bytes, "bytes = read + written (2 x buffer); kernel, 16-byte vector loads/stores");
  r.check = exact_check(got.data(), m.hb.data(), m.n);
  r.size = {{"bytes", m.bytes}};
  emit_result(r);
}

void gpu_triad(GpuCtx& c, const KernelInfo& k) {
  DeviceSet m(c, true);
  const float s = 3.0f;
  auto f = [&] {
    triad_kernel<<<m.grid(), kBlock, 0, c.s>>>(m.a.p, m.b.p, m.c.p, s, m.n4);
    CK_LAUNCH();
  };
  std::vector<float> got, hc(m.n);
  poison(m.a.p, m.a.bytes(), c.s);
  f();
  to_host_raw(got, m.a.p, m.n, c.s);
  fill_host(hc.data(), m.n4, m.k1, m.k3);
  std::vector<double> ref(m.n);
  parallel_for(m.n, [&](int64_t i) { ref[i] = (double)m.hb[i] + (double)s * hc[i]; });
  Result r = mem_result(k, time_events(c, f), 3 * m.bytes, "bytes = read + written (3 x buffer); a = b + s*c, 16-byte vector accesses");
  r.check = check_rel_l2(got.data(), ref.data(), m.n, 1e-6);
  r.size = {{"bytes", m.bytes}};
  emit_result(r);
}

void gpu_memcpy_d2d(GpuCtx& c, const KernelInfo& k) {
  DeviceSet m(c, false);
  auto f = [&] { CK(cudaMemcpyAsync(m.a.p, m.b.p, m.bytes, cudaMemcpyDeviceToDevice, c.s)); };
  std::vector<float> got;
  poison(m.a.p, m.a.bytes(), c.s);
  f();
  to_host_raw(got, m.a.p, m.n, c.s);
  Result r =
      mem_result(k, time_events(c, f), 2 * m.bytes, "bytes = read + written (2 x buffer); cudaMemcpyAsync device-to-device: the ceiling");
  r.check = exact_check(got.data(), m.hb.data(), m.n);
  r.size = {{"bytes", m.bytes}};
  emit_result(r);
}

void gpu_h2d_pinned(GpuCtx& c, const KernelInfo& k) { host_copy(c, k, true, true); }
void gpu_d2h_pinned(GpuCtx& c, const KernelInfo& k) { host_copy(c, k, true, false); }
void gpu_h2d_pageable(GpuCtx& c, const KernelInfo& k) { host_copy(c, k, false, true); }
void gpu_d2h_pageable(GpuCtx& c, const KernelInfo& k) { host_copy(c, k, false, false); }
