// The CPU VaR request in float32, exactly, reading about half the bytes (issue 21): the VaR is an order statistic
// (the kth smallest P&L), so only rows near it need their exact float32 P&L. The scenarios are held twice, as
// float32 and as packed binary16 (cpu_gemv.hpp), with a per-row bound c_i on the difference between the two
// forms' P&L for unit weights (cpu_var_screen.cpp proves it). A request runs the binary16 GEMV (4 MB), screens out
// the rows whose bound interval lies strictly below or above the threshold's, recomputes the rest (whole 8-row
// blocks through gemv::f32, the full float32 form's kernel and summation order) and selects among them: its result
// is the full float32 form's kth smallest P&L bit for bit (a tie of +0 and -0 may give either zero, as in the
// full form's own nth_element).
#pragma once
#include <cstdint>
#include <vector>

#include "cpu_gemv.hpp"

namespace varscreen {
struct Stats {
  int64_t candidates = 0;  // rows recomputed in float32 (whole blocks)
  bool full = false;       // the screen could not be used (weights too large or not finite): read every row
};

class Screen {
 public:
  // R: S x A float32 row-major (S a multiple of 8, A of 16); copied into both resident forms.
  Screen(const float* R, int64_t S, int64_t A);
  int64_t rows() const { return S_; }
  const float* r32() const { return r32_.data(); }
  const uint16_t* r16() const { return r16_.data(); }
  // Part of a request: the binary16 P&L of rows [s0, s1) (multiples of 8) into this screen's scratch.
  void approx(const float* w, int64_t s0, int64_t s1);
  // The rest: the kth smallest (0-based) float32 P&L, from approx()'s values of every row.
  float select(const float* w, int64_t k, Stats* st = nullptr);
  // The full float32 form: every row through gemv::f32, then nth_element (the reference for select()).
  float full(const float* w, int64_t k);
  // Test only (--self-test var_screen): 1 drops the bound (b_i = 0), 2 miscounts the rows screened out below.
  // The self-test requires each to give a wrong VaR somewhere, so that its cases can catch a wrong screen.
  int mutant = 0;

 private:
  int64_t S_, A_;
  gemv::Resident<float> r32_;
  gemv::Resident<uint16_t> r16_;
  std::vector<float> c_;  // per row, rounded up: the bound on |pnl32 - pnl16| per unit of ||w||_2; +inf: always recompute
  double cmax_ = 0;       // max c_i over the rows with a finite c_i
  double nmax_ = 0;       // max(||R_i||_2, ||R16_i||_2) over those rows
  int64_t wild_ = 0;      // rows with c_i = +inf (binary16 overflow)
  bool usable_ = true;    // false when R itself has a non-finite value: every request reads every row
  std::vector<float> a_, sorted_, exact_, cand_;
  std::vector<int32_t> idx_;
  std::vector<uint8_t> mark_;  // per row: 1 = candidate
  std::vector<char> done_;
};

// --self-test var_screen: fresh seeds and adversarial cases, screen against the full float32 form; prints one JSON
// line, returns 0 when every case matched and each mutant was caught.
int self_test();
}  // namespace varscreen
