// The screened float32 VaR (cpu_var_screen.hpp).
//
// The bound. Row i's float32 P&L x_i = fl(R_i . w) (gemv::f32) and its binary16 P&L a_i = fl(R16_i . w) (gemv::f16:
// R16_i widened exactly, float32 products and sums). For a float32 dot product of n terms in ANY order of evaluation,
// with or without fused multiply-adds, |fl(x . y) - x . y| <= gamma_n |x| . |y|, gamma_n = n u / (1 - n u), u = 2^-24,
// as long as nothing underflows or overflows (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., 3.1,
// (3.4)-(3.5): each term meets at most n roundings; an FMA rounds a product and a sum once, the AVX-512 kernel's
// 16 lanes and reduction tree give each term A/16 + 4 of them). With Cauchy-Schwarz,
//   |x_i - a_i| <= |R_i.w - R16_i.w| + gamma_n (|R_i|.|w| + |R16_i|.|w|) <= c_i ||w||_2,
//   c_i = ||R_i - R16_i||_2 + gamma_n (||R_i||_2 + ||R16_i||_2),
// computed at load time in float64 (squares of floats are exact; the sums' relative error is below 1e-13 for
// A < 2^20) and inflated by 1e-9 before rounding up to float. Underflow adds at most 2 A 2^-150 per dot product
// (a subnormal product or sum is off by half a subnormal step at most), well inside the 2^-120 added below. A row
// whose binary16 copy overflows (|R| > 65504) gets c_i = +inf: it is always recomputed.
//
// The screen. Let T be the kth smallest x (0-based), f the rows with c_i = +inf, and the other ("tame") rows' a
// sorted: a_(j). For every row x_i >= a_i - b_i with b_i = c_i ||w|| (-inf for the f rows), so the kth smallest x
// is >= the kth smallest of the lower bounds = the (k-f)th smallest tame lower bound >= a_(k-f) - B, B = max b_i:
// T >= lo := a_(k-f) - B (no lower screen when k < f). Likewise T <= hi := a_(k) + B (none when k >= tame rows).
// A row with a_i + b_i < lo has x_i < T; with a_i - b_i > hi, x_i > T. Say m rows go below, some above, the rest C
// are the candidates. T's own row is in C (x = T is neither < T nor > T). In all of S, at most k rows are < T and
// at least k+1 are <= T; every removed-below row is < T and no removed-above row is <= T, so in C at most k-m rows
// are < T and at least k-m+1 are <= T: T is C's (k-m)th smallest, which this file returns. The x of C come from
// gemv::f32 over their whole 8-row blocks, the same code and order as the full form, so they are its values bit
// for bit, and so is the result.
//
// The comparisons run in float32 (vectorisable): a_i + b_i and the thresholds are rounded, by at most 2^-24 of
// |a| + B each, and b_i = fl(c_i * ||w||) by 2^-24 of B. |a_i| <= Amax = (1 + gamma) max ||R16_i|| ||w||, so B is
// widened by 2^-19 (Amax + B) + 2^-120, more than the sum of those roundings (about 2^-21 (Amax + B)) and of the
// underflow terms. Weights with ||w|| (1 + gamma) max(||R_i||, ||R16_i||) >= 2^100 (where partial sums could near
// overflow) or non-finite, and scenarios with a non-finite value, take the full form instead.
#include "cpu_var_screen.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace varscreen {
namespace {
constexpr float kInf = std::numeric_limits<float>::infinity();
float up(double x) {  // the smallest float >= x
  float f = static_cast<float>(x);
  return f < x ? std::nextafter(f, kInf) : f;
}
double gamma_of(int64_t n) { return double(n) * 0x1p-24 / (1 - double(n) * 0x1p-24); }
}  // namespace

Screen::Screen(const float* R, int64_t S, int64_t A)
    : S_(S), A_(A), r32_(S * A), r16_(S * A), c_(S), a_(S), sorted_(S), exact_(S), cand_(S), idx_(S), mark_(S), done_(S / gemv::kPanel) {
  if (S % gemv::kPanel || A % 16 || A >= (1 << 20)) throw std::invalid_argument("varscreen: rows a multiple of 8, columns of 16, < 2^20");
  std::copy(R, R + S * A, r32_.data());
  gemv::pack_f16(R, r16_.data(), S, A);
  const double gamma = gamma_of(A);
  for (int64_t s = 0; s < S; ++s) {
    double d2 = 0, n32 = 0, n16 = 0;
    for (int64_t a = 0; a < A; ++a) {
      const double r = R[s * A + a], h = gemv::from_half(gemv::to_half(R[s * A + a]));  // pack_f16's value
      if (!std::isfinite(r)) usable_ = false;
      d2 += (r - h) * (r - h);
      n32 += r * r;
      n16 += h * h;
    }
    const double c = (std::sqrt(d2) + gamma * (std::sqrt(n32) + std::sqrt(n16))) * (1 + 1e-9);
    if (!std::isfinite(c)) {
      c_[s] = kInf;
      ++wild_;
      continue;
    }
    c_[s] = up(c);
    cmax_ = std::max(cmax_, double(c_[s]));
    nmax_ = std::max(nmax_, std::max(std::sqrt(n32), std::sqrt(n16)) * (1 + 1e-9));
  }
}

void Screen::approx(const float* w, int64_t s0, int64_t s1) { gemv::f16(r16_.data(), w, a_.data(), s0, s1, A_); }

float Screen::full(const float* w, int64_t k) {
  gemv::f32(r32_.data(), w, exact_.data(), 0, S_, A_);
  std::copy(exact_.begin(), exact_.end(), sorted_.begin());
  std::nth_element(sorted_.begin(), sorted_.begin() + k, sorted_.end());
  return sorted_[k];
}

float Screen::select(const float* w, int64_t k, Stats* st) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0}, ww = 0;  // eight chains (A is a multiple of 16): 0.1 us, not 0.5
  for (int64_t a = 0; a < A_; a += 8)
    for (int q = 0; q < 8; ++q) acc[q] += double(w[a + q]) * w[a + q];
  for (const double x : acc) ww += x;
  const double wn = std::sqrt(ww) * (1 + 1e-9), gamma = gamma_of(A_), amax = nmax_ * wn * (1 + 2 * gamma);
  if (!usable_ || !(amax < 0x1p100)) {
    if (st) *st = {S_, true};
    return full(w, k);
  }
  const float wnf = mutant == 1 ? 0.f : up(wn);
  const double B = cmax_ * double(wnf);
  const float Bw = mutant == 1 ? 0.f : up(B + 0x1p-19 * (amax + B) + 0x1p-120);
  // The thresholds from the tame rows' binary16 P&L.
  int64_t nt = S_;
  if (wild_ == 0) std::copy(a_.begin(), a_.end(), sorted_.begin());
  else {
    nt = 0;
    for (int64_t i = 0; i < S_; ++i)
      if (c_[i] != kInf) sorted_[nt++] = a_[i];
  }
  const int64_t f = S_ - nt;
  float lo = -kInf, hi = kInf;
  if (k < nt) {
    std::nth_element(sorted_.begin(), sorted_.begin() + k, sorted_.begin() + nt);
    hi = sorted_[k] + Bw;
  }
  if (k >= f) {
    const int64_t j = k - f, end = k < nt ? k + 1 : nt;  // after the first nth_element, [0, k] holds the k+1 smallest
    if (j != k) std::nth_element(sorted_.begin(), sorted_.begin() + j, sorted_.begin() + end);
    lo = sorted_[j] - Bw;
  }
  // Screen: below (counted), above (dropped), candidates (marked) in a pass the compiler vectorises, then the few
  // marks gathered eight at a time (4,096 rows: p50 select 5.5 us in all, against 7.5 us with one branch-free pass
  // that also wrote an index per row).
  int64_t m = 0, n = 0;
  const float* a = a_.data();
  const float* c = c_.data();
  uint8_t* mark = mark_.data();
  const int64_t S = S_;  // a local: the byte stores could alias a member, and the loop would not vectorise
  for (int64_t i = 0; i < S; ++i) {
    const float b = c[i] * wnf;
    const int below = (a[i] + b) < lo;
    const int above = (a[i] - b) > hi;
    m += below;
    mark[i] = static_cast<uint8_t>(1 - (below | above));
  }
  int32_t* idx = idx_.data();
  for (int64_t i = 0; i < S; i += 8) {  // S is a multiple of 8
    uint64_t word;
    std::memcpy(&word, mark + i, 8);
    if (!word) continue;
    for (int64_t q = i; q < i + 8; ++q)
      if (mark[q]) idx[n++] = static_cast<int32_t>(q);
  }
  if (mutant == 2) ++m;
  // The candidates' float32 P&L through their whole 8-row blocks, as the full form computes them.
  for (int64_t j = 0; j < n; ++j) {
    const int64_t blk = idx[j] / gemv::kPanel;
    if (!done_[blk]) gemv::f32(r32_.data(), w, exact_.data(), blk * gemv::kPanel, (blk + 1) * gemv::kPanel, A_), done_[blk] = 1;
    cand_[j] = exact_[idx[j]];
  }
  for (int64_t j = 0; j < n; ++j) done_[idx[j] / gemv::kPanel] = 0;
  if (st) *st = {n, false};
  const int64_t r = k - m;
  if (r < 0 || r >= n) return std::nanf("");  // impossible with a right bound (above); the checks then fail
  std::nth_element(cand_.begin(), cand_.begin() + r, cand_.begin() + n);
  return cand_[r];
}
}  // namespace varscreen
