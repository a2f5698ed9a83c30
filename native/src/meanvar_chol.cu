// The mean-variance step's Cholesky kernel (issue 21; meanvar.hpp, meanvar.cuh): one block per portfolio, a
// left-looking blocked Cholesky in place (32-column panels: the panel's update by the finished columns as a
// 128 x 32 x 32 tiled product, the 32 x 32 diagonal block by one warp through shuffles, the rows below by a
// triangular solve per thread), then L z = 1 and L' y = z blocked by 32, and w = y / sum(y).
#include "gpu.cuh"
#include "meanvar.cuh"
#include "meanvar.hpp"

namespace {
constexpr int NB = 32, RC = 128;
constexpr unsigned FULL = 0xffffffffu;

// One block per portfolio; S's lower triangle becomes L. Global memory written by the block is read back by
// other threads of it after __syncthreads (plain loads: no read-only path for A).
__global__ __launch_bounds__(256, 2) void mv_chol_kernel(float* S, float* __restrict__ w, int N) {
  __shared__ __align__(16) float As[NB][RC + 4];  // a slice of finished columns of the panel's rows, k-major
  __shared__ __align__(16) float Bs[NB][NB + 4];  // the same columns of the panel's own 32 rows
  __shared__ float Ds[NB][NB + 1], Dinv[NB], zs[mv::kMaxN], ys[mv::kMaxN], red[8][NB], rhs[NB];
  float* A = S + (int64_t)blockIdx.x * N * N;
  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
  for (int j0 = 0; j0 < N; j0 += NB) {
    // 1. A[i][j0 + c] -= sum_{k < j0} L[i][k] L[j0 + c][k] for the rows i >= j0, 128 rows at a time
    for (int i0 = j0; j0 > 0 && i0 < N; i0 += RC) {
      const int tx = tid & 7, ty = tid >> 3, kq = tid & 7;
      float acc[4][4] = {};
      for (int k0 = 0; k0 < j0; k0 += NB) {
#pragma unroll
        for (int q = 0; q < 4; ++q) {
          const int r = (tid >> 3) + 32 * q, row = i0 + r;
          const float4 v = row < N ? *reinterpret_cast<const float4*>(A + (int64_t)row * N + k0 + 4 * kq) : make_float4(0.f, 0.f, 0.f, 0.f);
          As[4 * kq][r] = v.x, As[4 * kq + 1][r] = v.y, As[4 * kq + 2][r] = v.z, As[4 * kq + 3][r] = v.w;
        }
        {
          const int c = tid >> 3;
          const float4 v = *reinterpret_cast<const float4*>(A + (int64_t)(j0 + c) * N + k0 + 4 * kq);
          Bs[4 * kq][c] = v.x, Bs[4 * kq + 1][c] = v.y, Bs[4 * kq + 2][c] = v.z, Bs[4 * kq + 3][c] = v.w;
        }
        __syncthreads();
#pragma unroll 8
        for (int kk = 0; kk < NB; ++kk) {
          const float4 a = *reinterpret_cast<const float4*>(&As[kk][4 * ty]), b = *reinterpret_cast<const float4*>(&Bs[kk][4 * tx]);
          const float av[4] = {a.x, a.y, a.z, a.w}, bv[4] = {b.x, b.y, b.z, b.w};
#pragma unroll
          for (int i = 0; i < 4; ++i)
#pragma unroll
            for (int j = 0; j < 4; ++j) acc[i][j] = fmaf(av[i], bv[j], acc[i][j]);
        }
        __syncthreads();
      }
#pragma unroll
      for (int i = 0; i < 4; ++i) {
        const int row = i0 + 4 * ty + i;
        if (row < N) {
          float4* q = reinterpret_cast<float4*>(A + (int64_t)row * N + j0 + 4 * tx);
          float4 v = *q;
          v.x -= acc[i][0], v.y -= acc[i][1], v.z -= acc[i][2], v.w -= acc[i][3];
          *q = v;
        }
      }
    }
    __syncthreads();
    // 2. the diagonal block: lane r holds row r; column c's pivot and multipliers go round by shuffles
    if (warp == 0) {
      float row[NB];
#pragma unroll
      for (int k = 0; k < NB; ++k) row[k] = k <= lane ? A[(int64_t)(j0 + lane) * N + j0 + k] : 0.f;
#pragma unroll
      for (int c = 0; c < NB; ++c) {
        const float d = sqrtf(__shfl_sync(FULL, row[c], c)), dinv = __frcp_rn(d);
        if (lane >= c) row[c] = lane == c ? d : row[c] * dinv;
        if (lane == c) Dinv[c] = dinv;
#pragma unroll
        for (int cc = c + 1; cc < NB; ++cc) {
          const float l = __shfl_sync(FULL, row[c], cc);
          if (lane >= cc) row[cc] = fmaf(-row[c], l, row[cc]);
        }
      }
#pragma unroll
      for (int k = 0; k < NB; ++k) {
        Ds[lane][k] = row[k];
        if (k <= lane) A[(int64_t)(j0 + lane) * N + j0 + k] = row[k];
      }
    }
    __syncthreads();
    // 3. the rows below: L[i][j0 + c] = (A[i][j0 + c] - sum_{c' < c} L[i][j0 + c'] L[j0 + c][j0 + c']) / L[j0 + c][j0 + c]
    const volatile float* dsv = &Ds[0][0];  // read as needed, not hoisted into registers across the row loop
    for (int i = j0 + NB + tid; i < N; i += blockDim.x) {
      float x[NB];
      float4* q = reinterpret_cast<float4*>(A + (int64_t)i * N + j0);
#pragma unroll
      for (int v = 0; v < NB / 4; ++v) {
        const float4 t = q[v];
        x[4 * v] = t.x, x[4 * v + 1] = t.y, x[4 * v + 2] = t.z, x[4 * v + 3] = t.w;
      }
#pragma unroll
      for (int c = 0; c < NB; ++c) {
        float s = x[c];
#pragma unroll
        for (int cp = 0; cp < c; ++cp) s = fmaf(-x[cp], dsv[c * (NB + 1) + cp], s);
        x[c] = s * Dinv[c];
      }
#pragma unroll
      for (int v = 0; v < NB / 4; ++v) q[v] = make_float4(x[4 * v], x[4 * v + 1], x[4 * v + 2], x[4 * v + 3]);
    }
    __syncthreads();
  }
  // 4. L z = 1, 32 rows at a time: the finished part by warp dot products, the diagonal block by warp 0
  for (int j0 = 0; j0 < N; j0 += NB) {
    for (int c = warp; c < NB; c += 8) {
      float s = 0.f;
      for (int k = lane; k < j0; k += 32) s = fmaf(A[(int64_t)(j0 + c) * N + k], zs[k], s);
#pragma unroll
      for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(FULL, s, o);
      if (lane == 0) rhs[c] = 1.0f - s;
    }
    __syncthreads();
    if (warp == 0) {
      float row[NB], b = rhs[lane];
#pragma unroll
      for (int k = 0; k < NB; ++k) row[k] = k <= lane ? A[(int64_t)(j0 + lane) * N + j0 + k] : 0.f;
#pragma unroll
      for (int c = 0; c < NB; ++c) {
        const float zc = __shfl_sync(FULL, lane == c ? b * __frcp_rn(row[c]) : 0.f, c);
        if (lane > c) b = fmaf(-row[c], zc, b);
        if (lane == c) zs[j0 + c] = zc;
      }
    }
    __syncthreads();
  }
  // 5. L' y = z from the last block: lane c of each warp sums L[i][j0 + c] y[i] over its rows i (coalesced)
  for (int j0 = N - NB; j0 >= 0; j0 -= NB) {
    float s = 0.f;
    for (int i = j0 + NB + warp; i < N; i += 8) s = fmaf(A[(int64_t)i * N + j0 + lane], ys[i], s);
    red[warp][lane] = s;
    __syncthreads();
    if (warp == 0) {
      float col[NB], b = zs[j0 + lane];
#pragma unroll
      for (int k = 0; k < 8; ++k) b -= red[k][lane];
#pragma unroll
      for (int r = 0; r < NB; ++r) col[r] = r >= lane ? A[(int64_t)(j0 + r) * N + j0 + lane] : 0.f;
#pragma unroll
      for (int c = NB - 1; c >= 0; --c) {
        const float yc = __shfl_sync(FULL, lane == c ? b * __frcp_rn(col[c]) : 0.f, c);
        if (lane < c) b = fmaf(-col[c], yc, b);
        if (lane == c) ys[j0 + c] = yc;
      }
    }
    __syncthreads();
  }
  // 6. w = y / sum(y)
  float s = 0.f;
  for (int a = tid; a < N; a += blockDim.x) s += ys[a];
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(FULL, s, o);
  if (lane == 0) red[0][warp] = s;
  __syncthreads();
  float tot = 0.f;
#pragma unroll
  for (int k = 0; k < 8; ++k) tot += red[0][k];
  for (int a = tid; a < N; a += blockDim.x) w[(int64_t)blockIdx.x * N + a] = ys[a] / tot;
}
}  // namespace

void mv_chol(float* S, float* w, int P, int N, cudaStream_t s) {
  mv_chol_kernel<<<(unsigned)P, 256, 0, s>>>(S, w, N);
  CK_LAUNCH();
}
