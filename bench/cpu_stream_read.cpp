// The rate one core reads a resident buffer at, by size (issue 21, the CPU VaR request's bound): a sum of every
// float with 8 independent AVX-512 (or AVX2) accumulators over a 2 MiB-aligned, huge-page, pre-faulted buffer, the
// same buffer read again and again, p50 and best of many passes per size. What fits the last-level cache shows
// the cache's rate; past it, DRAM's. The VaR request reads 8 MB (float32) or 4 MB (binary16) per request.
//   g++ -O3 -o /tmp/stream_read bench/cpu_stream_read.cpp && /tmp/stream_read
#include <immintrin.h>
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {
double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

__attribute__((target("avx512f"), noinline)) float sum512(const float* p, size_t n) {
  __m512 a[8];
  for (auto& v : a) v = _mm512_setzero_ps();
  for (size_t i = 0; i < n; i += 128)
#pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) a[j] = _mm512_add_ps(a[j], _mm512_load_ps(p + i + 16 * j));
  for (int j = 1; j < 8; ++j) a[0] = _mm512_add_ps(a[0], a[j]);
  float t[16];
  _mm512_storeu_ps(t, a[0]);
  return t[0] + t[15];  // enough to keep the loads
}

__attribute__((target("avx2"), noinline)) float sum256(const float* p, size_t n) {
  __m256 a[8];
  for (auto& v : a) v = _mm256_setzero_ps();
  for (size_t i = 0; i < n; i += 64)
#pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) a[j] = _mm256_add_ps(a[j], _mm256_load_ps(p + i + 8 * j));
  for (int j = 1; j < 8; ++j) a[0] = _mm256_add_ps(a[0], a[j]);
  float t[8];
  _mm256_storeu_ps(t, a[0]);
  return t[0] + t[7];
}
}  // namespace

int main() {
  const size_t max_bytes = size_t(256) << 20;
  float* p = static_cast<float*>(std::aligned_alloc(size_t(2) << 20, max_bytes));
  madvise(p, max_bytes, MADV_HUGEPAGE);
  for (size_t i = 0; i < max_bytes / 4; ++i) p[i] = 1e-6f * static_cast<float>(i & 1023);
  const bool avx512 = __builtin_cpu_supports("avx512f");
  std::printf("one core, %s loads; GB/s = bytes / time of one pass\n", avx512 ? "AVX-512" : "AVX2");
  volatile float sink = 0;
  for (size_t kb : {512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 262144}) {
    const size_t bytes = kb << 10, n = bytes / 4;
    const int reps = static_cast<int>(std::max<size_t>(30, (size_t(4) << 30) / bytes));
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
      const double t0 = now();
      sink = sink + (avx512 ? sum512(p, n) : sum256(p, n));
      t.push_back(now() - t0);
    }
    std::sort(t.begin(), t.end());
    const double p50 = t[t.size() / 2];
    std::printf("%8zu KiB  p50 %7.1f us  %6.1f GB/s   best %6.1f GB/s\n", kb, p50 * 1e6, bytes / p50 / 1e9, bytes / t[0] / 1e9);
  }
  std::free(p);
}
