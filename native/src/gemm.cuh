// cuBLASLt matmul plan (column-major C = op(A) op(B)), shared by the GEMM benchmarks and VaR.
#pragma once
#include <vector>

#include "cublaslt_dl.hpp"
#include "gpu.cuh"

struct LtPlan {
  void* op = nullptr;
  void* la = nullptr;
  void* lb = nullptr;
  void* lc = nullptr;
  void* pref = nullptr;
  std::vector<lt::HeuristicResult> algos;
  int chosen = 0;
  DevBuf<char> ws;
  int scale_type = lt::R_32F;
  // m x n result, inner dimension k; A is m x k (or k x m stored, when transA), B is k x n.
  void init(int typeAB, int typeC, int compute, bool transA, int64_t m, int64_t n, int64_t k, int64_t lda, int64_t ldb, int64_t ldc);
  void run(const void* A, const void* B, void* C, cudaStream_t s, int algo = -1);
  // Times every heuristic candidate briefly and keeps the fastest.
  void autotune(GpuCtx& c, const void* A, const void* B, void* C);
  ~LtPlan();
};

void* lt_handle();  // process-wide cuBLASLt handle (throws CudaError when cuBLASLt is unusable)
