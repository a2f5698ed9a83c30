// The mean-variance step's covariance kernels (issue 21; meanvar.hpp, meanvar.cuh): the lower triangle of
// S = (R - m)'(R - m) / (T - 1) in 128 x 128 tiles (bi >= bj only: 10 of 16 tiles at N = 512), one block per
// (tile, portfolio), the means subtracted as the operands are read.
//  - SIMT: 256 threads of 8 x 8 outputs, k-slices of 8 returns double-buffered in shared memory, FP32 FMA.
//  - 3xTF32: mma.sync m16n8k8 TF32 tensor-core products of hi/lo splits (x = hi + lo, hi and lo TF32; hi*hi +
//    hi*lo + lo*hi, the lo*lo term ~2^-22 relative left out) into FP32 accumulators; 8 warps of 64 x 32 or 16 of
//    32 x 32 outputs, k-slices of 32 returns in a 3-stage cp.async pipeline (104 KB of shared memory). The products
//    are exact, but the tensor cores' accumulation over all T returns loses digits (1.3e-4 on the weights at
//    T = 4096, over the bound); the FLUSH forms add each slice's sums to the running sums with FP32 adds (8e-6).
#include "gpu.cuh"
#include "meanvar.cuh"
#include "meanvar.hpp"

namespace {
constexpr int MT = mv::kTile, MK = 8;

__device__ __forceinline__ int tile_row(int lin) {  // the bi of the lin-th lower-triangle tile (bi >= bj)
  int bi = (int)((sqrtf(8.0f * lin + 1.0f) - 1.0f) * 0.5f);
  while (bi * (bi + 1) / 2 > lin) --bi;
  while ((bi + 1) * (bi + 2) / 2 <= lin) ++bi;
  return bi;
}

__device__ __forceinline__ float4 minus(float4 v, float4 m) { return make_float4(v.x - m.x, v.y - m.y, v.z - m.z, v.w - m.w); }

// Block (lower-triangle tile, portfolio). Thread (ty, tx) of 16 x 16 owns rows {4ty..4ty+3, 64+4ty..} and columns
// {4tx.., 64+4tx..} of the tile; the loader thread (lk, lc) stores return row lk, columns 4lc.. of each slice.
__global__ __launch_bounds__(256, 2) void mv_syrk_kernel(const float* __restrict__ R, const float* __restrict__ mean, float* __restrict__ S,
                                                         int T, int N, float scale) {
  __shared__ __align__(16) float As[2][MK][MT], Bs[2][MK][MT];
  __shared__ float4 Ma[MT / 4], Mb[MT / 4];
  const int bi = tile_row(blockIdx.x), bj = blockIdx.x - bi * (bi + 1) / 2, p = blockIdx.y, tid = threadIdx.x;
  const int lk = tid >> 5, lc = 4 * (tid & 31), tx = tid & 15, ty = tid >> 4;
  const float* pa = R + (int64_t)p * T * N + (int64_t)lk * N + bi * MT + lc;
  const float* pb = pa + (bj - bi) * MT;
  if (tid < 32) Ma[tid] = *reinterpret_cast<const float4*>(mean + (int64_t)p * N + bi * MT + lc);
  else if (tid < 64) Mb[tid - 32] = *reinterpret_cast<const float4*>(mean + (int64_t)p * N + bj * MT + lc);
  float4 ra = __ldg(reinterpret_cast<const float4*>(pa)), rb = __ldg(reinterpret_cast<const float4*>(pb));
  __syncthreads();
  *reinterpret_cast<float4*>(&As[0][lk][lc]) = minus(ra, Ma[tid & 31]);
  *reinterpret_cast<float4*>(&Bs[0][lk][lc]) = minus(rb, Mb[tid & 31]);
  __syncthreads();
  float acc[8][8] = {};
  int buf = 0;
  for (int k0 = 0; k0 < T; k0 += MK) {
    const bool more = k0 + MK < T;
    if (more) {
      ra = __ldg(reinterpret_cast<const float4*>(pa + (int64_t)(k0 + MK) * N));
      rb = __ldg(reinterpret_cast<const float4*>(pb + (int64_t)(k0 + MK) * N));
    }
#pragma unroll
    for (int kk = 0; kk < MK; ++kk) {
      const float4 a0 = *reinterpret_cast<const float4*>(&As[buf][kk][4 * ty]),
                   a1 = *reinterpret_cast<const float4*>(&As[buf][kk][64 + 4 * ty]);
      const float4 b0 = *reinterpret_cast<const float4*>(&Bs[buf][kk][4 * tx]),
                   b1 = *reinterpret_cast<const float4*>(&Bs[buf][kk][64 + 4 * tx]);
      const float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w}, b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
      for (int i = 0; i < 8; ++i)
#pragma unroll
        for (int j = 0; j < 8; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
    }
    if (more) {
      *reinterpret_cast<float4*>(&As[buf ^ 1][lk][lc]) = minus(ra, Ma[tid & 31]);
      *reinterpret_cast<float4*>(&Bs[buf ^ 1][lk][lc]) = minus(rb, Mb[tid & 31]);
    }
    __syncthreads();
    buf ^= 1;
  }
  float* out = S + (int64_t)p * N * N + (int64_t)(bi * MT) * N + bj * MT;
#pragma unroll
  for (int i = 0; i < 8; ++i) {
    float* row = out + (int64_t)(i < 4 ? 4 * ty + i : 64 + 4 * ty + i - 4) * N;
    *reinterpret_cast<float4*>(row + 4 * tx) = make_float4(acc[i][0] * scale, acc[i][1] * scale, acc[i][2] * scale, acc[i][3] * scale);
    *reinterpret_cast<float4*>(row + 64 + 4 * tx) = make_float4(acc[i][4] * scale, acc[i][5] * scale, acc[i][6] * scale, acc[i][7] * scale);
  }
}

// ---------------------------------------------------------------- 3xTF32 tensor cores
constexpr int TK = 32, TST = 3, TLD = MT + 8;  // k-slice, stages, row pitch (LD = 8 mod 32: fragment loads conflict-free)
constexpr int kTcSmem = TST * 2 * TK * TLD * (int)sizeof(float);

// TF32 conversion, mma.sync and cp.async need sm_80: compiled for an older target (make fat's sm_75), these
// helpers trap, and run_meanvar never launches the tensor-core forms on such a device (major < 8).
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 800
#define MV_TC_ASM 1
#else
#define MV_TC_ASM 0
#endif
__device__ __forceinline__ uint32_t tf32(float x) {
  uint32_t r = 0;
#if MV_TC_ASM
  asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
#else
  (void)x;
  __trap();
#endif
  return r;
}
__device__ __forceinline__ void split(float x, uint32_t& hi, uint32_t& lo) {
  hi = tf32(x);
  lo = tf32(x - __uint_as_float(hi));
}
__device__ __forceinline__ void mma(float (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
#if MV_TC_ASM
  asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
               : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
#else
  (void)c, (void)a, (void)b0, (void)b1;
  __trap();
#endif
}
__device__ __forceinline__ void cp16(float* smem, const float* g) {
#if MV_TC_ASM
  const unsigned d = (unsigned)__cvta_generic_to_shared(smem);
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16;" ::"r"(d), "l"(g));
#else
  (void)smem, (void)g;
  __trap();
#endif
}
#if MV_TC_ASM
#define MV_CP_COMMIT() asm volatile("cp.async.commit_group;")
#define MV_CP_WAIT(n) asm volatile("cp.async.wait_group %0;" ::"n"(n))
#else
#define MV_CP_COMMIT() ((void)0)
#define MV_CP_WAIT(n) ((void)0)
#endif

// Block (lower-triangle tile, portfolio) of WMW x 4 warps; warp (wm, wn) owns rows 16 MI wm .. and columns 32 wn ..
// of the tile: MI x 4 m16n8 accumulators (MI = 8 / WMW). Each thread centres the elements it copied in. Fragment
// element (row g or g+8, k t or t+4), g = lane / 4, t = lane % 4.
// FLUSH: each 32-return slice's products go into fresh accumulators that are then added to the running sums with
// FP32 adds (round to nearest): the tensor cores' own accumulation is then over 12 products only (twice the
// accumulator registers: one block per SM). Without it the error of the weights grows with T (run 3: 1.3e-4 at 4096).
template <int WMW, bool FLUSH> __global__ __launch_bounds__(128 * WMW, (FLUSH || WMW > 2) ? 1 : 2) void mv_syrk_tc_kernel(
    const float* __restrict__ R, const float* __restrict__ mean, float* __restrict__ S, int T, int N, float scale) {
  constexpr int THR = 128 * WMW, MI = 8 / WMW, QN = TK * MT / 4 / THR;
  extern __shared__ __align__(16) float sm[];  // [stage][A, B][TK][TLD]
  const int bi = tile_row(blockIdx.x), bj = blockIdx.x - bi * (bi + 1) / 2, p = blockIdx.y, tid = threadIdx.x;
  const int lane = tid & 31, warp = tid >> 5, g = lane >> 2, t = lane & 3, wm = warp % WMW, wn = warp / WMW;
  const float* Rp = R + (int64_t)p * T * N;
  __shared__ float4 Ma[MT / 4], Mb[MT / 4];
  if (tid < 32) Ma[tid] = reinterpret_cast<const float4*>(mean + (int64_t)p * N + bi * MT)[tid];
  else if (tid < 64) Mb[tid - 32] = reinterpret_cast<const float4*>(mean + (int64_t)p * N + bj * MT)[tid - 32];
  auto load = [&](int kt, int st) {  // returns [kt*TK, +TK) x the tile's 128 columns of A and of B: 8 x 16 B per thread
    float* a = sm + st * 2 * TK * TLD;
    float* b = a + TK * TLD;
#pragma unroll
    for (int q = 0; q < QN; ++q) {
      const int idx = tid + THR * q, r = idx >> 5, c4 = 4 * (idx & 31);
      const float* src = Rp + (int64_t)(kt * TK + r) * N + c4;
      cp16(a + r * TLD + c4, src + bi * MT);
      cp16(b + r * TLD + c4, src + bj * MT);
    }
  };
  const int KT = T / TK;
#pragma unroll
  for (int st = 0; st < TST - 1; ++st) {
    if (st < KT) load(st, st);
    MV_CP_COMMIT();
  }
  float acc[MI][4][4] = {};
  for (int kt = 0; kt < KT; ++kt) {
    MV_CP_WAIT(TST - 2);
    if (kt == 0) __syncthreads();  // Ma, Mb
    {                              // centre the elements this thread copied (its own copies are complete), before the others read them
      float* a = sm + (kt % TST) * 2 * TK * TLD;
      const float4 m0 = Ma[tid & 31], m1 = Mb[tid & 31];
#pragma unroll
      for (int q = 0; q < QN; ++q) {
        const int idx = tid + THR * q, o = (idx >> 5) * TLD + 4 * (idx & 31);
        float4* x = reinterpret_cast<float4*>(a + o);
        float4* y = reinterpret_cast<float4*>(a + TK * TLD + o);
        *x = make_float4(x->x - m0.x, x->y - m0.y, x->z - m0.z, x->w - m0.w);
        *y = make_float4(y->x - m1.x, y->y - m1.y, y->z - m1.z, y->w - m1.w);
      }
    }
    __syncthreads();
    if (kt + TST - 1 < KT) load(kt + TST - 1, (kt + TST - 1) % TST);
    MV_CP_COMMIT();
    const float* a = sm + (kt % TST) * 2 * TK * TLD;
    const float* b = a + TK * TLD;
    float tmp[MI][4][4];
    if constexpr (FLUSH) {
#pragma unroll
      for (int mi = 0; mi < MI; ++mi)
#pragma unroll
        for (int ni = 0; ni < 4; ++ni)
#pragma unroll
          for (int e = 0; e < 4; ++e) tmp[mi][ni][e] = 0.f;
    }
    float(&d)[MI][4][4] = FLUSH ? tmp : acc;
#pragma unroll
    for (int k8 = 0; k8 < TK; k8 += 8) {
      uint32_t bh[4][2], bl[4][2];
#pragma unroll
      for (int ni = 0; ni < 4; ++ni) {
        const int j = 32 * wn + 8 * ni + g;
        split(b[(k8 + t) * TLD + j], bh[ni][0], bl[ni][0]);
        split(b[(k8 + t + 4) * TLD + j], bh[ni][1], bl[ni][1]);
      }
#pragma unroll
      for (int mi = 0; mi < MI; ++mi) {
        const int i = 16 * MI * wm + 16 * mi + g;
        uint32_t ah[4], al[4];
        split(a[(k8 + t) * TLD + i], ah[0], al[0]);
        split(a[(k8 + t) * TLD + i + 8], ah[1], al[1]);
        split(a[(k8 + t + 4) * TLD + i], ah[2], al[2]);
        split(a[(k8 + t + 4) * TLD + i + 8], ah[3], al[3]);
#pragma unroll
        for (int ni = 0; ni < 4; ++ni) {
          mma(d[mi][ni], al, bh[ni][0], bh[ni][1]);
          mma(d[mi][ni], ah, bl[ni][0], bl[ni][1]);
          mma(d[mi][ni], ah, bh[ni][0], bh[ni][1]);
        }
      }
    }
    if constexpr (FLUSH) {
#pragma unroll
      for (int mi = 0; mi < MI; ++mi)
#pragma unroll
        for (int ni = 0; ni < 4; ++ni)
#pragma unroll
          for (int e = 0; e < 4; ++e) acc[mi][ni][e] += tmp[mi][ni][e];
    }
  }
  MV_CP_WAIT(0);
  float* out = S + (int64_t)p * N * N + (int64_t)(bi * MT) * N + bj * MT;
#pragma unroll
  for (int mi = 0; mi < MI; ++mi)
#pragma unroll
    for (int ni = 0; ni < 4; ++ni) {
      float* o = out + (int64_t)(16 * MI * wm + 16 * mi + g) * N + 32 * wn + 8 * ni + 2 * t;
      *reinterpret_cast<float2*>(o) = make_float2(acc[mi][ni][0] * scale, acc[mi][ni][1] * scale);
      *reinterpret_cast<float2*>(o + 8 * (int64_t)N) = make_float2(acc[mi][ni][2] * scale, acc[mi][ni][3] * scale);
    }
}
}  // namespace

void mv_syrk(const float* R, const float* mean, float* S, int P, int T, int N, int mode, cudaStream_t s) {
  const int nt = N / MT;
  const dim3 grid((unsigned)(nt * (nt + 1) / 2), (unsigned)P);
  const float scale = 1.0f / (float)(T - 1);
  static bool attr = false;  // raised once per process (the device is chosen before the first call)
  if (mode != kSyrkSimt && !attr) {
    CK(cudaFuncSetAttribute(mv_syrk_tc_kernel<2, false>, cudaFuncAttributeMaxDynamicSharedMemorySize, kTcSmem));
    CK(cudaFuncSetAttribute(mv_syrk_tc_kernel<2, true>, cudaFuncAttributeMaxDynamicSharedMemorySize, kTcSmem));
    CK(cudaFuncSetAttribute(mv_syrk_tc_kernel<4, true>, cudaFuncAttributeMaxDynamicSharedMemorySize, kTcSmem));
    attr = true;
  }
  if (mode == kSyrkTf32x3) mv_syrk_tc_kernel<2, false><<<grid, 256, kTcSmem, s>>>(R, mean, S, T, N, scale);
  else if (mode == kSyrkTf32x3Flush) mv_syrk_tc_kernel<2, true><<<grid, 256, kTcSmem, s>>>(R, mean, S, T, N, scale);
  else if (mode == kSyrkTf32x3Flush16) mv_syrk_tc_kernel<4, true><<<grid, 512, kTcSmem, s>>>(R, mean, S, T, N, scale);
  else mv_syrk_kernel<<<grid, 256, 0, s>>>(R, mean, S, T, N, scale);
  CK_LAUNCH();
}
