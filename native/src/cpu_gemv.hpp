// The CPU VaR request's GEMV (cpu_latency.cpp, issue 21): y[s] = sum_a R[s*A + a] x[a] over the resident
// scenarios R, stored as float32 or as IEEE binary16 (a separate, labelled form: half the bytes, float32
// products and sums). A request reads all of R once (8 MB in float32 for 4096 x 512), which on one core comes
// from the last-level cache at the rate a plain streaming read reaches; the kernels keep up with that rate:
// rows in blocks of 8 (x loaded once per block, 8 independent accumulators), AVX-512 where the CPU has it
// (binary16 through vcvtph2ps), AVX2 + FMA + F16C otherwise, portable code elsewhere; chosen once at run time.
// The resident buffer is 2 MiB aligned, asks for transparent huge pages and is written (faulted in) when made.
#pragma once
#include <cstdint>
#include <memory>

namespace gemv {
// A buffer of resident scenarios: 2 MiB-aligned, madvise(MADV_HUGEPAGE) where there is one, zero-filled.
template <class T> struct Resident {
  explicit Resident(int64_t n);
  T* data() { return p_.get(); }
  const T* data() const { return p_.get(); }
  int64_t size() const { return n_; }

 private:
  struct Free {
    void operator()(T* p) const;
  };
  std::unique_ptr<T, Free> p_;
  int64_t n_;
};

// float -> binary16, round to nearest even (finite inputs; beyond 65504 saturates to infinity).
uint16_t to_half(float f);
float from_half(uint16_t h);

// Rows [s0, s1) of y = R x, R row-major with A columns (A a multiple of 16).
void f32(const float* R, const float* x, float* y, int64_t s0, int64_t s1, int64_t A);
void f16(const uint16_t* R, const float* x, float* y, int64_t s0, int64_t s1, int64_t A);
// The code path the two use on this CPU: "avx512", "avx2" or "portable".
const char* path();
}  // namespace gemv
