// The CPU VaR request's GEMV (cpu_latency.cpp, issue 21): y[s] = sum_a R[s*A + a] x[a] over the resident
// scenarios R, stored as float32 or as IEEE binary16 (a separate, labelled form: half the bytes, float32
// products and sums). A request reads all of R once (8 MB in float32 for 4096 x 512), which on one core comes
// from the last-level cache at the rate a plain streaming read reaches; the kernels keep up with that rate:
// rows in blocks of 8 (x loaded once per block, 8 independent accumulators), AVX-512 where the CPU has it
// (binary16 through vcvtph2ps), AVX2 + FMA + F16C otherwise, portable code elsewhere; chosen once at run time.
// (Portable binary16 is instruction-bound, about 0.6 ns per value: the form is meant for x86 with F16C.)
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

// binary16 scenarios are packed in panels of kPanel rows (for each 16-column chunk, the panel's rows one after the
// other: each panel is read front to back, one stream instead of eight; measured 15% faster than row-major binary16
// on this form, no gain for float32). pack_f16 converts R (S x A, S a multiple of kPanel) into P (S * A values);
// f16 computes rows [s0, s1) of y = R x from P, s0 and s1 multiples of kPanel.
constexpr int64_t kPanel = 8;
void pack_f16(const float* R, uint16_t* P, int64_t S, int64_t A);
void f16(const uint16_t* P, const float* x, float* y, int64_t s0, int64_t s1, int64_t A);
// The code path the two use on this CPU: "avx512", "avx2" or "portable".
const char* path();
}  // namespace gemv
