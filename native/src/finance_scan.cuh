// EMA and RSI as linear recurrences y_t = a_t y_{t-1} + b_t, one block per series walking it in tiles of
// 2048 steps (8 per thread): each thread composes its 8 affine maps, a warp shuffle scan and a scan over
// the 8 warp totals give every thread its incoming state, and the thread re-runs its 8 steps. The next
// tile's loads are issued before the current tile is processed. Included by finance_ta.cu only.
#pragma once
#include "common.hpp"

namespace {
constexpr int ST = 256, SE = 8, STILE = ST * SE;
__host__ __device__ constexpr int sphys(int e) { return e + (e >> 5) * 4; }  // pad 4 floats per 32

// A linear recurrence y_t = a_t y_{t-1} + b_t per channel. In steady state a_t is the constant kA and
// b_t comes from b_fast(); the first steps of a series (t <= kEarly) use coef() with a_t, b_t general.
struct EmaOp {
  static constexpr int C = 1, N = fin::kEmaN, kEarly = N - 1, kMinBlocks = 6;  // <= 40 registers
  static constexpr float alpha = 2.0f / (N + 1), kA = 1.0f - alpha;
  __device__ static void b_fast(float x, float /*xprev*/, float* b) { b[0] = alpha * x; }
  __device__ static void coef(int t, float x, float xprev, float& a, float* b) {
    if (t < N) {  // expanding mean: y_t = t/(t+1) y + x/(t+1); y_{N-1} = SMA(N)
      const float inv = 1.0f / (t + 1);
      a = t * inv;
      b[0] = x * inv;
    } else {
      a = kA;
      b_fast(x, xprev, b);
    }
  }
  __device__ static float a_of(int t) { return t < N ? t / float(t + 1) : kA; }
  __device__ static float out(const float* y) { return y[0]; }
};

struct RsiOp {
  static constexpr int C = 2, N = fin::kRsiN, kEarly = N, kMinBlocks = 4;  // 5 (48 regs) spilled 4 B, same speed
  static constexpr float kA = (N - 1) / float(N);
  __device__ static void b_fast(float x, float xprev, float* b) {
    const float d = x - xprev;
    b[0] = fmaxf(d, 0.f) * (1.0f / N);
    b[1] = fmaxf(-d, 0.f) * (1.0f / N);
  }
  __device__ static void coef(int t, float x, float xprev, float& a, float* b) {
    if (t == 0) {
      a = 0.f;
      b[0] = b[1] = 0.f;
    } else if (t <= N) {  // expanding means of gains / losses over 1..t (t = N: Wilder's seed)
      const float d = x - xprev, inv = 1.0f / t;
      a = (t - 1) * inv;
      b[0] = fmaxf(d, 0.f) * inv;
      b[1] = fmaxf(-d, 0.f) * inv;
    } else {
      a = kA;
      b_fast(x, xprev, b);
    }
  }
  __device__ static float a_of(int t) { return t == 0 ? 0.f : (t <= N ? (t - 1) / float(t) : kA); }
  __device__ static float out(const float* y) {
    const float s = y[0] + y[1];
    return s > 0.f ? __fdividef(100.f * y[0], s) : 50.f;
  }
};

// Turing (sm_75) holds at most 1024 threads (4 blocks of 256) per SM.
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ == 750
#define SCAN_MINB(x) ((x) > 4 ? 4 : (x))
#else
#define SCAN_MINB(x) (x)
#endif

template <class Op>
__global__ __launch_bounds__(ST, SCAN_MINB(Op::kMinBlocks)) void scan_kernel(const float* __restrict__ p, float* __restrict__ out, int T) {
  constexpr int C = Op::C, NW = ST / 32;
  constexpr float kA2 = Op::kA * Op::kA, kA4 = kA2 * kA2, kA8 = kA4 * kA4;
  __shared__ __align__(16) float tile[sphys(STILE)];
  __shared__ float wa[NW], wb[C][NW];
  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
  const int64_t base = (int64_t)blockIdx.x * T;
  const float* ps = p + base;
  float* os = out + base;
  float carry[C];
#pragma unroll
  for (int c = 0; c < C; ++c) carry[c] = 0.f;
  float prevp = 0.f;  // price just before the current tile
  float4 pf[2];
#pragma unroll
  for (int j = 0; j < 2; ++j) {
    const int t = 4 * (tid + ST * j);
    pf[j] = t < T ? __ldcs(reinterpret_cast<const float4*>(ps + t)) : make_float4(0.f, 0.f, 0.f, 0.f);
  }
  for (int t0 = 0; t0 < T; t0 += STILE) {
#pragma unroll
    for (int j = 0; j < 2; ++j) *reinterpret_cast<float4*>(&tile[sphys(4 * (tid + ST * j))]) = pf[j];
    __syncthreads();
    if (t0 + STILE < T) {  // prefetch the next tile while this one is processed
#pragma unroll
      for (int j = 0; j < 2; ++j) {
        const int t = t0 + STILE + 4 * (tid + ST * j);
        pf[j] = t < T ? __ldcs(reinterpret_cast<const float4*>(ps + t)) : make_float4(0.f, 0.f, 0.f, 0.f);
      }
    }
    float x[SE];
    {
      const float4 u = *reinterpret_cast<const float4*>(&tile[sphys(SE * tid)]);
      const float4 v = *reinterpret_cast<const float4*>(&tile[sphys(SE * tid) + 4]);
      x[0] = u.x;
      x[1] = u.y;
      x[2] = u.z;
      x[3] = u.w;
      x[4] = v.x;
      x[5] = v.y;
      x[6] = v.z;
      x[7] = v.w;
    }
    const float xin = tid == 0 ? prevp : tile[sphys(SE * tid - 1)];
    const int tb = t0 + SE * tid;
    const bool early = tb <= Op::kEarly;  // only the first threads of a series' first tile
    // this thread's 8 maps and their composition (A, B): y_out = A y_in + B
    float b[SE][C], A, B[C];
#pragma unroll
    for (int c = 0; c < C; ++c) B[c] = 0.f;
    if (!early) {
#pragma unroll
      for (int i = 0; i < SE; ++i) {
        Op::b_fast(x[i], i ? x[i - 1] : xin, b[i]);
#pragma unroll
        for (int c = 0; c < C; ++c) B[c] = fmaf(Op::kA, B[c], b[i][c]);
      }
      A = kA8;
    } else {
      A = 1.f;
#pragma unroll
      for (int i = 0; i < SE; ++i) {
        float a;
        Op::coef(tb + i, x[i], i ? x[i - 1] : xin, a, b[i]);
#pragma unroll
        for (int c = 0; c < C; ++c) B[c] = fmaf(a, B[c], b[i][c]);
        A *= a;
      }
    }
    if (tb >= T) {  // past the end (T is a multiple of 16, so all 8 or none): identity
      A = 1.f;
#pragma unroll
      for (int c = 0; c < C; ++c) B[c] = 0.f;
    }
    // inclusive warp scan of the maps (earlier lanes applied first)
#pragma unroll
    for (int d = 1; d < 32; d <<= 1) {
      const float An = __shfl_up_sync(0xffffffffu, A, d);
      float Bn[C];
#pragma unroll
      for (int c = 0; c < C; ++c) Bn[c] = __shfl_up_sync(0xffffffffu, B[c], d);
      if (lane >= d) {
#pragma unroll
        for (int c = 0; c < C; ++c) B[c] = fmaf(A, Bn[c], B[c]);
        A *= An;
      }
    }
    if (lane == 31) {
      wa[warp] = A;
#pragma unroll
      for (int c = 0; c < C; ++c) wb[c][warp] = B[c];
    }
    // exclusive prefix within the warp
    float Ae = __shfl_up_sync(0xffffffffu, A, 1), Be[C];
#pragma unroll
    for (int c = 0; c < C; ++c) Be[c] = __shfl_up_sync(0xffffffffu, B[c], 1);
    if (lane == 0) {
      Ae = 1.f;
#pragma unroll
      for (int c = 0; c < C; ++c) Be[c] = 0.f;
    }
    __syncthreads();
    float y[C];
#pragma unroll
    for (int c = 0; c < C; ++c) y[c] = carry[c];
#pragma unroll
    for (int w = 0; w < NW; ++w) {
      const float aw = wa[w];
#pragma unroll
      for (int c = 0; c < C; ++c) {
        const float bw = wb[c][w];
        if (w < warp) y[c] = fmaf(aw, y[c], bw);
        carry[c] = fmaf(aw, carry[c], bw);  // state after the whole tile (for the next one)
      }
    }
#pragma unroll
    for (int c = 0; c < C; ++c) y[c] = fmaf(Ae, y[c], Be[c]);
    float o[SE];
    if (!early) {
#pragma unroll
      for (int i = 0; i < SE; ++i) {
#pragma unroll
        for (int c = 0; c < C; ++c) y[c] = fmaf(Op::kA, y[c], b[i][c]);
        o[i] = Op::out(y);
      }
    } else {
#pragma unroll
      for (int i = 0; i < SE; ++i) {
        const float a = Op::a_of(tb + i);
#pragma unroll
        for (int c = 0; c < C; ++c) y[c] = fmaf(a, y[c], b[i][c]);
        o[i] = Op::out(y);
      }
    }
    prevp = tile[sphys(STILE - 1)];
    __syncthreads();  // everyone has read the tile
    *reinterpret_cast<float4*>(&tile[sphys(SE * tid)]) = make_float4(o[0], o[1], o[2], o[3]);
    *reinterpret_cast<float4*>(&tile[sphys(SE * tid) + 4]) = make_float4(o[4], o[5], o[6], o[7]);
    __syncthreads();
#pragma unroll
    for (int j = 0; j < 2; ++j) {
      const int e = 4 * (tid + ST * j), t = t0 + e;
      if (t < T) __stcs(reinterpret_cast<float4*>(os + t), *reinterpret_cast<const float4*>(&tile[sphys(e)]));
    }
    __syncthreads();  // before the next tile overwrites the buffer
  }
}

}  // namespace
