// GEMV over resident scenarios for the CPU VaR request (cpu_gemv.hpp). GPUCTL_BENCH_GEMV=avx2|portable forces a
// lower path than the CPU allows (to compare the paths, or to check each on one machine).
#include "cpu_gemv.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include <sys/mman.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define GEMV_X86 1
#define GEMV_AVX512 __attribute__((target("avx512f,avx2,fma,f16c")))
#define GEMV_AVX2 __attribute__((target("avx2,fma,f16c")))
#endif

namespace gemv {
namespace {
constexpr int kRows = kPanel;  // rows per block: x is loaded once for 8 rows, 8 independent accumulators
constexpr size_t kAlign = size_t(2) << 20;

uint32_t bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// Where row q's element a of a block of rows lies, from the block's start: row-major (float32: q*A + a), or packed in
// panels of kRows rows (binary16: for each 16-column chunk, the panel's rows one after the other, so a panel is
// read front to back).
template <bool Packed> inline int64_t at(int q, int64_t a, int64_t A) {
  return Packed ? (a & ~int64_t(15)) * kRows + q * 16 + (a & 15) : q * A + a;
}

#ifdef GEMV_X86
// GCC 12's _mm256_undefined_* (inside _mm512_cvtph_ps and _mm512_reduce_add_ps) warns that it is uninitialised:
// GCC bug 105593, a false positive fixed in GCC 13.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
GEMV_AVX512 inline __m512 load16(const float* p) { return _mm512_loadu_ps(p); }
GEMV_AVX512 inline __m512 load16(const uint16_t* p) { return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))); }
// Rows [0, RB) of a block starting at r: 16 lanes, one accumulator per row, x loaded once per 16 columns.
template <int RB, bool Packed, class T> GEMV_AVX512 inline void rows_avx512(const T* r, const float* x, float* y, int64_t A) {
  __m512 acc[RB];
#pragma GCC unroll 8
  for (int q = 0; q < RB; ++q) acc[q] = _mm512_setzero_ps();
  for (int64_t a = 0; a < A; a += 16) {
    const __m512 xv = _mm512_loadu_ps(x + a);
#pragma GCC unroll 8
    for (int q = 0; q < RB; ++q) acc[q] = _mm512_fmadd_ps(load16(r + at<Packed>(q, a, A)), xv, acc[q]);
  }
#pragma GCC unroll 8
  for (int q = 0; q < RB; ++q) y[q] = _mm512_reduce_add_ps(acc[q]);
}
template <bool Packed, class T> GEMV_AVX512 void run_avx512(const T* R, const float* x, float* y, int64_t s0, int64_t s1, int64_t A) {
  int64_t s = s0;
  for (; s + kRows <= s1; s += kRows) rows_avx512<kRows, Packed>(R + s * A, x, y + s, A);
  for (; s < s1; ++s) rows_avx512<1, false>(R + s * A, x, y + s, A);  // row-major only (packed ranges are whole panels)
}

GEMV_AVX2 inline __m256 load8(const float* p) { return _mm256_loadu_ps(p); }
GEMV_AVX2 inline __m256 load8(const uint16_t* p) { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }
GEMV_AVX2 inline float sum8(__m256 v) {
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  return _mm_cvtss_f32(_mm_add_ss(h, _mm_movehdup_ps(h)));
}
template <int RB, bool Packed, class T> GEMV_AVX2 inline void rows_avx2(const T* r, const float* x, float* y, int64_t A) {
  __m256 acc[RB];
#pragma GCC unroll 8
  for (int q = 0; q < RB; ++q) acc[q] = _mm256_setzero_ps();
  for (int64_t a = 0; a < A; a += 8) {
    const __m256 xv = _mm256_loadu_ps(x + a);
#pragma GCC unroll 8
    for (int q = 0; q < RB; ++q) acc[q] = _mm256_fmadd_ps(load8(r + at<Packed>(q, a, A)), xv, acc[q]);
  }
#pragma GCC unroll 8
  for (int q = 0; q < RB; ++q) y[q] = sum8(acc[q]);
}
template <bool Packed, class T> GEMV_AVX2 void run_avx2(const T* R, const float* x, float* y, int64_t s0, int64_t s1, int64_t A) {
  int64_t s = s0;
  for (; s + kRows <= s1; s += kRows) rows_avx2<kRows, Packed>(R + s * A, x, y + s, A);
  for (; s < s1; ++s) rows_avx2<1, false>(R + s * A, x, y + s, A);
}
#pragma GCC diagnostic pop
#endif

// Portable: four lanes through GCC/Clang vector extensions (one SSE2 / NEON register; wider ones are split
// lane by lane for comparisons).
typedef float v4f __attribute__((vector_size(16)));
typedef uint32_t v4u __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));
typedef uint16_t v4h __attribute__((vector_size(8)));
template <class V, class U> V cast(U u) {
  V v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}
inline v4f lanes(const float* p) {
  v4f v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline v4f lanes(const uint16_t* p) {  // from_half's arithmetic on four lanes
  v4h h;
  std::memcpy(&h, p, sizeof h);
  const v4u u = __builtin_convertvector(h, v4u), em = u & 0x7fffu;
  const v4u normal = (em << 13) + 0x38000000u, special = 0x7f800000u | ((em & 0x3ffu) << 13);
  const v4u sub = cast<v4u>(__builtin_convertvector(cast<v4i>(em), v4f) * 0x1p-24f);
  const v4u is_sub = cast<v4u>(cast<v4i>(em) < 0x400), is_special = cast<v4u>(cast<v4i>(em) > 0x7bff);
  const v4u mag = (is_sub & sub) | (is_special & special) | (~(is_sub | is_special) & normal);
  return cast<v4f>(((u & 0x8000u) << 16) | mag);
}
template <int RB, bool Packed, class T> void rows_portable(const T* r, const float* x, float* y, int64_t A) {
  v4f acc[RB] = {};
  for (int64_t a = 0; a < A; a += 4) {
    const v4f xv = lanes(x + a);
    for (int q = 0; q < RB; ++q) acc[q] += lanes(r + at<Packed>(q, a, A)) * xv;
  }
  for (int q = 0; q < RB; ++q) y[q] = (acc[q][0] + acc[q][1]) + (acc[q][2] + acc[q][3]);
}
template <bool Packed, class T> void run_portable(const T* R, const float* x, float* y, int64_t s0, int64_t s1, int64_t A) {
  int64_t s = s0;
  for (; s + kRows <= s1; s += kRows) rows_portable<kRows, Packed>(R + s * A, x, y + s, A);
  for (; s < s1; ++s) rows_portable<1, false>(R + s * A, x, y + s, A);
}

enum class Path { Avx512, Avx2, Portable };
Path pick() {
  const char* env = std::getenv("GPUCTL_BENCH_GEMV");
  const std::string force = env ? env : "";
#ifdef GEMV_X86
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
  if (force != "avx2" && force != "portable" && avx2 && __builtin_cpu_supports("avx512f")) return Path::Avx512;
  if (force != "portable" && avx2) return Path::Avx2;
#endif
  return Path::Portable;
}
Path chosen() {
  static const Path p = pick();
  return p;
}

template <bool Packed, class T> void run(const T* R, const float* x, float* y, int64_t s0, int64_t s1, int64_t A) {
  switch (chosen()) {
#ifdef GEMV_X86
    case Path::Avx512: return run_avx512<Packed>(R, x, y, s0, s1, A);
    case Path::Avx2: return run_avx2<Packed>(R, x, y, s0, s1, A);
#endif
    default: return run_portable<Packed>(R, x, y, s0, s1, A);
  }
}
}  // namespace

template <class T> Resident<T>::Resident(int64_t n) : n_(n) {
  const size_t bytes = (static_cast<size_t>(n) * sizeof(T) + kAlign - 1) / kAlign * kAlign;
  void* p = std::aligned_alloc(kAlign, bytes);
  if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, bytes, MADV_HUGEPAGE);  // a request: without transparent huge pages it is 4 KiB pages, same results
#endif
  std::memset(p, 0, bytes);  // faulted in now, not during a timed request
  p_.reset(static_cast<T*>(p));
}
template <class T> void Resident<T>::Free::operator()(T* p) const { std::free(p); }
template struct Resident<float>;
template struct Resident<uint16_t>;

uint16_t to_half(float f) {
  uint32_t x = bits(f);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000);
  x &= 0x7fffffff;
  if (x > 0x7f800000) return sign | 0x7e00;   // NaN
  if (x >= 0x477ff000) return sign | 0x7c00;  // rounds to 65520 or more: infinity
  if (x < 0x38800000)                         // below 2^-14: a subnormal half (exact scaling, then RNE)
    return sign | static_cast<uint16_t>(std::nearbyint(from_bits(x) * 0x1p24f));
  return sign | static_cast<uint16_t>((x - 0x38000000 + 0xfff + ((x >> 13) & 1)) >> 13);  // rebias, RNE to 10 bits
}

float from_half(uint16_t h) {  // no arithmetic on subnormal floats (slow on some CPUs)
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16, em = h & 0x7fffu;
  if (em < 0x400) return from_bits(sign | bits(static_cast<float>(em) * 0x1p-24f));  // zero, subnormal: exact
  if (em >= 0x7c00) return from_bits(sign | 0x7f800000 | ((em & 0x3ff) << 13));      // infinity, NaN
  return from_bits(sign | ((em << 13) + 0x38000000));                                // normal: rebias
}

void pack_f16(const float* R, uint16_t* P, int64_t S, int64_t A) {
  if (S % kPanel || A % 16) throw std::invalid_argument("pack_f16: rows must be a multiple of 8, columns of 16");
  for (int64_t s = 0; s < S; s += kPanel)
    for (int q = 0; q < kPanel; ++q)
      for (int64_t a = 0; a < A; ++a) P[s * A + at<true>(q, a, A)] = to_half(R[(s + q) * A + a]);
}

void f32(const float* R, const float* x, float* y, int64_t s0, int64_t s1, int64_t A) { run<false>(R, x, y, s0, s1, A); }
void f16(const uint16_t* P, const float* x, float* y, int64_t s0, int64_t s1, int64_t A) {
  if (s0 % kPanel || s1 % kPanel) throw std::invalid_argument("gemv::f16: row range must be whole panels of 8 rows");
  run<true>(P, x, y, s0, s1, A);
}

const char* path() {
  switch (chosen()) {
    case Path::Avx512: return "avx512";
    case Path::Avx2: return "avx2";
    default: return "portable";
  }
}
}  // namespace gemv
