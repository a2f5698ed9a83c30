// The batched mean-variance step (issue 21); definitions, inputs and the check in meanvar.hpp. FP32 throughout
// (SIMT FMA, no tensor cores: tf32 operands miss the weights' bound, see meanvar.hpp), three kernels per step:
//  1. mv_mean_kernel: the column means, one pass over the returns.
//  2. mv_syrk_kernel: the lower triangle of S = (R - m)'(R - m) / (T - 1), 128 x 128 tiles (bi >= bj only:
//     10 of 16 tiles at N = 512), 8 x 8 outputs per thread, k-slices of 8 returns double-buffered in shared
//     memory, the means subtracted as the slices are stored.
//  3. mv_chol_kernel: one block per portfolio, left-looking blocked Cholesky in place (32-column panels: the
//     panel's update by the finished columns as a 128 x 32 x 32 tiled product, the 32 x 32 diagonal block by
//     one warp through shuffles, the rows below by a triangular solve per thread), then L z = 1 and L' y = z
//     blocked by 32, and w = y / sum(y).
#include <algorithm>

#include "check.hpp"
#include "fin_host.hpp"
#include "gpu.cuh"
#include "json.hpp"
#include "meanvar.hpp"
#include "suites.hpp"

namespace {
constexpr int MT = mv::kTile, MK = 8, NB = 32, RC = 128;
constexpr unsigned FULL = 0xffffffffu;

__global__ void mv_gen_kernel(float* __restrict__ R, int T, int N, uint32_t k0, uint32_t k1) {
  const int q = threadIdx.x, t = blockIdx.x, p = blockIdx.y;
  float r[4];
  mv::returns4((uint32_t)p, (uint32_t)t, (uint32_t)q, k0, k1, r);
  reinterpret_cast<float4*>(R + ((int64_t)p * T + t) * N)[q] = make_float4(r[0], r[1], r[2], r[3]);
}

// Block (128 columns, portfolio): 32 column groups of 4 x 8 row lanes.
__global__ __launch_bounds__(256) void mv_mean_kernel(const float* __restrict__ R, float* __restrict__ mean, int T, int N) {
  __shared__ float4 part[8][32];
  const int lane = threadIdx.x & 31, rl = threadIdx.x >> 5, c0 = blockIdx.x * MT + 4 * lane;
  const float* base = R + (int64_t)blockIdx.y * T * N + c0;
  float4 s[4] = {};
  int t = rl;
  for (; t + 24 < T; t += 32)
#pragma unroll
    for (int u = 0; u < 4; ++u) {
      const float4 v = __ldg(reinterpret_cast<const float4*>(base + (int64_t)(t + 8 * u) * N));
      s[u].x += v.x, s[u].y += v.y, s[u].z += v.z, s[u].w += v.w;
    }
  for (; t < T; t += 8) {
    const float4 v = __ldg(reinterpret_cast<const float4*>(base + (int64_t)t * N));
    s[0].x += v.x, s[0].y += v.y, s[0].z += v.z, s[0].w += v.w;
  }
  part[rl][lane] = make_float4((s[0].x + s[1].x) + (s[2].x + s[3].x), (s[0].y + s[1].y) + (s[2].y + s[3].y),
                               (s[0].z + s[1].z) + (s[2].z + s[3].z), (s[0].w + s[1].w) + (s[2].w + s[3].w));
  __syncthreads();
  if (rl == 0) {
    float4 a = part[0][lane];
    for (int k = 1; k < 8; ++k) a.x += part[k][lane].x, a.y += part[k][lane].y, a.z += part[k][lane].z, a.w += part[k][lane].w;
    const float inv = 1.0f / (float)T;
    *reinterpret_cast<float4*>(mean + (int64_t)blockIdx.y * N + c0) = make_float4(a.x * inv, a.y * inv, a.z * inv, a.w * inv);
  }
}

__device__ __forceinline__ float4 minus(float4 v, float4 m) { return make_float4(v.x - m.x, v.y - m.y, v.z - m.z, v.w - m.w); }

// Block (lower-triangle tile, portfolio). Thread (ty, tx) of 16 x 16 owns rows {4ty..4ty+3, 64+4ty..} and columns
// {4tx.., 64+4tx..} of the tile; the loader thread (lk, lc) stores return row lk, columns 4lc.. of each slice.
__global__ __launch_bounds__(256, 2) void mv_syrk_kernel(const float* __restrict__ R, const float* __restrict__ mean, float* __restrict__ S,
                                                         int T, int N, float scale) {
  __shared__ __align__(16) float As[2][MK][MT], Bs[2][MK][MT];
  __shared__ float4 Ma[MT / 4], Mb[MT / 4];
  int bi = (int)((sqrtf(8.0f * blockIdx.x + 1.0f) - 1.0f) * 0.5f);
  while (bi * (bi + 1) / 2 > (int)blockIdx.x) --bi;
  while ((bi + 1) * (bi + 2) / 2 <= (int)blockIdx.x) ++bi;
  const int bj = blockIdx.x - bi * (bi + 1) / 2, p = blockIdx.y, tid = threadIdx.x;
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

void run_meanvar(GpuCtx& c, const KernelInfo& kd) {
  const Sizes& z = c.o.sz;
  MeanVarCase mc;
  mc.setup(z.mv_portfolios, z.mv_returns, z.mv_assets, c.o.seed, stream_of(kd.name));
  const int P = (int)mc.P, T = (int)mc.T, N = (int)mc.N, nt = N / MT;
  DevBuf<float> R((size_t)P * T * N), mean((size_t)P * N), S((size_t)P * N * N), w((size_t)P * N);
  mv_gen_kernel<<<dim3((unsigned)T, (unsigned)P), N / 4, 0, c.s>>>(R.p, T, N, mc.k0, mc.k1);
  CK_LAUNCH();
  auto f = [&] {
    mv_mean_kernel<<<dim3((unsigned)nt, (unsigned)P), 256, 0, c.s>>>(R.p, mean.p, T, N);
    CK_LAUNCH();
    mv_syrk_kernel<<<dim3((unsigned)(nt * (nt + 1) / 2), (unsigned)P), 256, 0, c.s>>>(R.p, mean.p, S.p, T, N, 1.0f / (float)(T - 1));
    CK_LAUNCH();
    mv_chol_kernel<<<(unsigned)P, 256, 0, c.s>>>(S.p, w.p, N);
    CK_LAUNCH();
  };
  poison(w.p, w.bytes(), c.s);
  f();
  std::vector<float> hw, wsub(mc.sub.size() * (size_t)N);
  to_host(hw, w, c.s);
  mc.R.resize(mc.sub.size() * (size_t)T * N);
  for (size_t i = 0; i < mc.sub.size(); ++i) {
    CK(cudaMemcpyAsync(&mc.R[i * (size_t)T * N], R.p + (size_t)mc.sub[i] * T * N, (size_t)T * N * sizeof(float), cudaMemcpyDeviceToHost,
                       c.s));
    std::copy(hw.begin() + mc.sub[i] * N, hw.begin() + (mc.sub[i] + 1) * N, wsub.begin() + i * N);
  }
  CK(cudaStreamSynchronize(c.s));
  mc.reference();
  Result r = result_for(kd);
  r.check = mc.check(wsub.data(), hw.data());
  r.flops = mc.flops(P);
  r.bytes = mc.bytes();
  fill_result(r, time_events(c, f), r.flops, 1e12);
  r.cpu = time_cpu([&] { mc.cpu(wsub.data()); }, (double)mc.sub.size() / P, 1, 3);
  r.size = {{"mv_portfolios", (double)P}, {"mv_returns", (double)T}, {"mv_assets", (double)N}};
  // Each kernel alone (median of 5), for the roof: the covariance is the GEMM-bound part.
  auto part = [&](int k) {
    return median(time_events(
        c,
        [&] {
          if (k == 0) mv_mean_kernel<<<dim3((unsigned)nt, (unsigned)P), 256, 0, c.s>>>(R.p, mean.p, T, N);
          else if (k == 1)
            mv_syrk_kernel<<<dim3((unsigned)(nt * (nt + 1) / 2), (unsigned)P), 256, 0, c.s>>>(R.p, mean.p, S.p, T, N,
                                                                                              1.0f / (float)(T - 1));
          else mv_chol_kernel<<<(unsigned)P, 256, 0, c.s>>>(S.p, w.p, N);
          CK_LAUNCH();
        },
        1, 5));
  };
  const double mean_ms = part(0), syrk_ms = part(1);
  f();  // the Cholesky factorises in place: a fresh covariance for its own timing is written by each f() below
  std::vector<double> chol;
  for (int i = 0; i < 5; ++i) {
    mv_syrk_kernel<<<dim3((unsigned)(nt * (nt + 1) / 2), (unsigned)P), 256, 0, c.s>>>(R.p, mean.p, S.p, T, N, 1.0f / (float)(T - 1));
    CK_LAUNCH();
    chol.push_back(time_events(
        c,
        [&] {
          mv_chol_kernel<<<(unsigned)P, 256, 0, c.s>>>(S.p, w.p, N);
          CK_LAUNCH();
        },
        0, 1)[0]);
  }
  r.extra = {{"checkedPortfolios", (double)mc.sub.size()},
             {"meanMs", mean_ms},
             {"covarianceMs", syrk_ms},
             {"choleskySolveMs", median(chol)},
             {"covarianceTflops", (double)P * N * (N + 1.0) * T / (syrk_ms * 1e-3) / 1e12}};
  r.note =
      "flops = P (N(N+1)T + NT + N^3/3 + 2N^2): one triangle of the covariance, the means, Cholesky, two solves (fp32 SIMT); "
      "checked against float64 on " +
      std::to_string(mc.sub.size()) + " portfolios, every portfolio's weights sum to 1";
  emit_result(r);
}

}  // namespace

void gpu_meanvar(GpuCtx& c, const KernelInfo& k) { run_meanvar(c, k); }
