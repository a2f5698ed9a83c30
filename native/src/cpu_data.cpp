// Input generation (host, multi-threaded) and the Philox known-answer test.
#include <cmath>

#include "common.hpp"
#include "cpu_ref.hpp"
#include "philox.hpp"
#include "threads.hpp"

bool philox_self_test() {
  struct Kat {
    U32x4 c;
    uint32_t k0, k1;
    U32x4 out;
  };
  const Kat kats[3] = {
      {{0, 0, 0, 0}, 0, 0, {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}},
      {{~0u, ~0u, ~0u, ~0u}, ~0u, ~0u, {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}},
      {{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u},
       0xa4093822u,
       0x299f31d0u,
       {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}},
  };
  for (const Kat& k : kats) {
    U32x4 o = philox4x32_10(k.c, k.k0, k.k1);
    if (o.x != k.out.x || o.y != k.out.y || o.z != k.out.z || o.w != k.out.w) return false;
  }
  return true;
}

void gen_series(std::vector<float>& p, int64_t A, int64_t T, uint64_t seed, uint32_t stream) {
  p.resize(static_cast<size_t>(A * T));
  const uint32_t k0 = key0(seed, stream), k1 = key1(seed, stream);
  parallel_for(A, [&](int64_t a) {
    U32x4 s = philox4x32_10({0xFFFFFFFFu, static_cast<uint32_t>(a), 0, 0}, k0, k1);
    double logp = std::log(50.0 + 100.0 * u01d(s.x));
    float* ps = p.data() + a * T;
    for (int64_t t = 0; t < T; t += 4) {
      U32x4 r = philox4x32_10({static_cast<uint32_t>(t >> 2), static_cast<uint32_t>(a), 1, 0}, k0, k1);
      double z[4];
      box_muller_d(r.x, r.y, &z[0], &z[1]);
      box_muller_d(r.z, r.w, &z[2], &z[3]);
      for (int j = 0; j < 4 && t + j < T; ++j) {
        if (t + j > 0) logp += 0.01 * z[j];
        ps[t + j] = static_cast<float>(std::exp(logp));
      }
    }
  });
}

void gen_options(std::vector<float>& S, std::vector<float>& K, std::vector<float>& T, int64_t n, uint64_t seed, uint32_t stream) {
  int64_t n4 = (n + 3) / 4 * 4;
  S.assign(n4, 1.f);
  K.assign(n4, 1.f);
  T.assign(n4, 1.f);
  const uint32_t k0 = key0(seed, stream), k1 = key1(seed, stream);
  parallel_for(n, [&](int64_t i) {
    U32x4 r = philox4x32_10({static_cast<uint32_t>(i), static_cast<uint32_t>(i >> 32), 2, 0}, k0, k1);
    S[i] = static_cast<float>(5.0 + 25.0 * u01d(r.x));
    K[i] = static_cast<float>(1.0 + 99.0 * u01d(r.y));
    T[i] = static_cast<float>(0.25 + 9.75 * u01d(r.z));
  });
}

void gen_var_inputs(std::vector<float>& W, std::vector<float>& R, int64_t P, int64_t S, int64_t A, uint64_t seed, uint32_t stream) {
  W.resize(static_cast<size_t>(P * A));
  R.resize(static_cast<size_t>(S * A));
  const uint32_t k0 = key0(seed, stream), k1 = key1(seed, stream);
  parallel_for(P, [&](int64_t p) {
    for (int64_t a = 0; a < A; ++a) {
      U32x4 r = philox4x32_10({static_cast<uint32_t>(a), static_cast<uint32_t>(p), 3, 0}, k0, k1);
      W[p * A + a] = static_cast<float>(2.0 * u01d(r.x) / static_cast<double>(A));
    }
  });
  parallel_for(S, [&](int64_t s) {
    U32x4 m = philox4x32_10({0xFFFFFFFFu, static_cast<uint32_t>(s), 4, 0}, k0, k1);
    double market, unused;
    box_muller_d(m.x, m.y, &market, &unused);
    for (int64_t a = 0; a < A; a += 2) {
      U32x4 r = philox4x32_10({static_cast<uint32_t>(a), static_cast<uint32_t>(s), 5, 0}, k0, k1);
      double z0, z1;
      box_muller_d(r.x, r.y, &z0, &z1);
      R[s * A + a] = static_cast<float>(0.01 * (0.6 * market + 0.8 * z0));
      if (a + 1 < A) R[s * A + a + 1] = static_cast<float>(0.01 * (0.6 * market + 0.8 * z1));
    }
  });
}
