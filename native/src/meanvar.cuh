// The mean-variance step's GPU kernels (issue 21), launched on a stream; definitions in meanvar.hpp. FP32 in and
// out. quant_meanvar.cu (inputs, means, the benchmark), meanvar_syrk.cu (the covariance), meanvar_chol.cu (the
// Cholesky factorisation, the two solves and the weights).
#pragma once
#include <cuda_runtime.h>

#include <cstdint>

// R[p][t][a] from the factor model (meanvar.hpp).
void mv_gen(float* R, int P, int T, int N, uint32_t k0, uint32_t k1, cudaStream_t s);
// mean[p][a] over the T returns.
void mv_mean(const float* R, float* mean, int P, int T, int N, cudaStream_t s);
// The lower triangle (128 x 128 tiles bi >= bj) of S[p] = (R[p] - mean[p])'(R[p] - mean[p]) / (T - 1); the tiles above
// the diagonal are not written. mode: FP32 FMA (SIMT), or 3xTF32 tensor-core products (hi/lo splits), with the
// tensor cores accumulating all T returns, or each 32-return slice's sum added to the running sums by FP32 adds
// (8 warps of 64 x 32 outputs, or 16 warps of 32 x 32).
enum { kSyrkSimt = 0, kSyrkTf32x3 = 1, kSyrkTf32x3Flush = 2, kSyrkTf32x3Flush16 = 3, kSyrkModes = 4 };
void mv_syrk(const float* R, const float* mean, float* S, int P, int T, int N, int mode, cudaStream_t s);
// S[p]'s lower triangle becomes L (S = L L'); w[p] = S^-1 1 / (1' S^-1 1).
void mv_chol(float* S, float* w, int P, int N, cudaStream_t s);
