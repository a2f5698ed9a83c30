// --self-test var_screen (cpu_var_screen.hpp): the screened VaR against the full float32 form, bit for bit (a +0/-0
// tie may give either zero), over fresh seeds of the bench's scenario generator (several weight vectors and order
// statistics each, two of them at the bench's size) and adversarial cases: rows whose binary16 rounding swaps their
// order at the threshold, exact duplicates, near-equal rows that binary16 makes identical, magnitudes from 2^-60 to
// beyond binary16's range (rows that overflow it), zero and huge weights. Each case also runs the two mutants (no
// bound; one row too many counted below): each must give a wrong VaR in some case, or the cases could not catch a
// wrong screen. One JSON line; returns 0 when every case matched and both mutants were caught.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "cpu_ref.hpp"
#include "cpu_var_screen.hpp"
#include "json.hpp"

namespace varscreen {
namespace {
bool same(float x, float y) { return std::memcmp(&x, &y, sizeof x) == 0 || (x == 0 && y == 0); }

struct Tally {
  int64_t cases = 0, wrong = 0, fulls = 0, caught[3] = {0, 0, 0};
  std::vector<double> cand;
  std::string first;
};

// Every weight vector in W (A each) and every k in ks, the screen (and its mutants) against the full form.
void run(const char* what, const std::vector<float>& R, int64_t S, int64_t A, const std::vector<float>& W, std::vector<int64_t> ks,
         Tally& t) {
  Screen sc(R.data(), S, A);
  for (size_t p = 0; p * A < W.size(); ++p) {
    const float* w = W.data() + p * A;
    for (const int64_t k : ks) {
      const float ref = sc.full(w, k);
      for (int mt = 0; mt < 3; ++mt) {
        sc.mutant = mt;
        sc.approx(w, 0, S / 16 * 8);  // in two parts, as two workers would
        sc.approx(w, S / 16 * 8, S);
        Stats st;
        const float v = sc.select(w, k, &st);
        if (mt) {
          t.caught[mt] += !same(v, ref);
          continue;
        }
        ++t.cases;
        t.fulls += st.full;
        if (!st.full) t.cand.push_back(double(st.candidates));
        if (same(v, ref)) continue;
        if (!t.wrong++)
          t.first = std::string(what) + " weights " + std::to_string(p) + " k " + std::to_string(k) + ": screened " + std::to_string(v) +
                    ", full " + std::to_string(ref);
      }
      sc.mutant = 0;
    }
  }
}

std::vector<float> normals(std::mt19937_64& g, int64_t n, double scale) {
  std::normal_distribution<double> d(0, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = static_cast<float>(d(g));
  return v;
}
}  // namespace

int self_test() {
  Tally t;
  std::mt19937_64 g(20261204);
  // Fresh seeds of the bench's generator (market factor + noise, positive weights), and signed weights.
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    std::vector<float> W, R;
    gen_var_inputs(W, R, 3, 1024, 64, seed, 0x5c2ee7u);
    const auto signed_w = normals(g, 64, 0.05);
    W.insert(W.end(), signed_w.begin(), signed_w.end());
    run("seed", R, 1024, 64, W, {0, 1, 10, 511, 1023, int64_t(g() % 1024)}, t);
  }
  for (uint64_t seed = 1; seed <= 2; ++seed) {  // the bench's size
    std::vector<float> W, R;
    gen_var_inputs(W, R, 2, 4096, 512, seed, 0x5c2ee8u);
    run("seed 4096x512", R, 4096, 512, W, {40, int64_t(g() % 4096)}, t);
  }
  const int64_t S = 512, A = 64, k = 5;
  // Binary16 rounding swaps the order at the threshold: P rows x = 1 + 0.45 h (binary16: 1), Q rows x = 1 + 0.35 h
  // (binary16: about 1 + 0.8 h), h = 2^-10, shuffled among k rows far below and the rest far above.
  {
    std::vector<float> R(S * A, 0.f), W(A, 0.f);
    W[0] = W[1] = 1;
    std::vector<int64_t> order(S);
    for (int64_t i = 0; i < S; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), g);
    for (int64_t j = 0; j < S; ++j) {
      float* r = R.data() + order[j] * A;
      if (j < k) r[0] = -10.f - float(j);
      else if (j < k + 100) r[0] = 1 + 0.45f * 0x1p-10f;
      else if (j < k + 200) r[0] = 1 + 0.55f * 0x1p-10f, r[1] = -0.2f * 0x1p-10f;
      else r[0] = 10.f + float(j);
    }
    run("swap", R, S, A, W, {k, k + 99, k + 100, k + 150}, t);
  }
  // Exact duplicates: every row the same; half the rows one row, half another.
  {
    const auto row = normals(g, A, 0.01), other = normals(g, A, 0.01);
    std::vector<float> R(S * A), R2(S * A);
    for (int64_t s = 0; s < S; ++s) std::copy(row.begin(), row.end(), R.begin() + s * A);
    for (int64_t s = 0; s < S; ++s) std::copy((s % 3 ? row : other).begin(), (s % 3 ? row : other).end(), R2.begin() + s * A);
    const auto W = normals(g, 2 * A, 0.05);
    run("duplicates", R, S, A, W, {0, k, S - 1}, t);
    run("two values", R2, S, A, W, {0, k, S / 3 - 1, S / 3, S - 1}, t);
  }
  // Near-equal rows: one base row, each element moved by a few float32 ulps (binary16 copies all equal).
  {
    const auto base = normals(g, A, 0.01);
    std::vector<float> R(S * A);
    for (int64_t s = 0; s < S; ++s)
      for (int64_t a = 0; a < A; ++a)
        R[s * A + a] = std::nextafter(base[a], (g() & 1) ? 1.f : -1.f) * float(1 + int64_t(g() % 3) * 0x1p-23);
    const auto W = normals(g, 3 * A, 0.05);
    run("near-equal", R, S, A, W, {0, k, S / 2, S - 1}, t);
  }
  // Magnitudes: each row scaled by 2^e, e in [-60, 24] (rows beyond 65504 overflow binary16), some elements by 2^-30.
  for (int rep = 0; rep < 4; ++rep) {
    auto R = normals(g, S * A, 1);
    for (int64_t s = 0; s < S; ++s) {
      const float scale = std::ldexp(1.f, int(g() % 85) - 60);
      for (int64_t a = 0; a < A; ++a) R[s * A + a] *= (g() % 7 ? scale : scale * 0x1p-30f);
    }
    auto W = normals(g, 3 * A, 1);
    for (int64_t a = 0; a < A; ++a) W[A + a] *= 0x1p-40f, W[2 * A + a] *= 0x1p30f;
    run("magnitudes", R, S, A, W, {0, k, S / 2, S - 1, int64_t(g() % S)}, t);
  }
  // Zero weights (every P&L a zero) and huge weights (the screen steps aside: the full form).
  {
    const auto R = normals(g, S * A, 0.01);
    std::vector<float> W(2 * A, 0.f);
    for (int64_t a = 0; a < A; ++a) W[A + a] = 1e36f;
    run("zero and huge weights", R, S, A, W, {0, k, S - 1}, t);
  }
  std::sort(t.cand.begin(), t.cand.end());
  const bool ok = t.wrong == 0 && t.caught[1] > 0 && t.caught[2] > 0 && t.fulls > 0;
  emit_line(JsonObj()
                .str("type", "selftest")
                .str("name", "var_screen")
                .str("path", gemv::path())
                .integer("cases", t.cases)
                .integer("wrong", t.wrong)
                .str("firstWrong", t.first)
                .integer("fullForm", t.fulls)
                .num("candidatesMedian", t.cand.empty() ? 0 : t.cand[t.cand.size() / 2])
                .num("candidatesMax", t.cand.empty() ? 0 : t.cand.back())
                .integer("mutantNoBoundCaught", t.caught[1])
                .integer("mutantIndexCaught", t.caught[2])
                .boolean("ok", ok)
                .done());
  return ok ? 0 : 1;
}
}  // namespace varscreen
