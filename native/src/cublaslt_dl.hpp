// cuBLASLt loaded at run time with dlopen(), so that the program builds without cuBLAS headers or
// libraries. The few types, enum values and prototypes needed are declared here (values as in
// cublasLt.h / cublas_api.h / library_types.h of CUDA 12.x and 13.x).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace lt {
// cudaDataType_t
constexpr int R_32F = 0, R_16F = 2, R_16BF = 14, R_8F_E4M3 = 28;
// cublasComputeType_t
constexpr int COMPUTE_32F = 68, COMPUTE_32F_FAST_TF32 = 77;
// cublasOperation_t
constexpr int OP_N = 0, OP_T = 1;
// cublasLtMatmulDescAttributes_t
constexpr int DESC_TRANSA = 3, DESC_TRANSB = 4;
// cublasLtMatmulPreferenceAttributes_t
constexpr int PREF_MAX_WORKSPACE_BYTES = 1;

struct Algo {
  uint64_t data[8];
};
struct HeuristicResult {
  Algo algo;
  size_t workspaceSize;
  int state;
  float wavesCount;
  int reserved[4];
};

struct Api {
  bool ok = false;
  std::string error, path;
  size_t version = 0;
  int (*create)(void** handle) = nullptr;
  int (*destroy)(void* handle) = nullptr;
  int (*descCreate)(void** desc, int computeType, int scaleType) = nullptr;
  int (*descDestroy)(void* desc) = nullptr;
  int (*descSetAttribute)(void* desc, int attr, const void* buf, size_t size) = nullptr;
  int (*layoutCreate)(void** layout, int type, uint64_t rows, uint64_t cols, int64_t ld) = nullptr;
  int (*layoutDestroy)(void* layout) = nullptr;
  int (*prefCreate)(void** pref) = nullptr;
  int (*prefDestroy)(void* pref) = nullptr;
  int (*prefSetAttribute)(void* pref, int attr, const void* buf, size_t size) = nullptr;
  int (*algoGetHeuristic)(void* handle, void* op, void* a, void* b, void* c, void* d, void* pref, int requested, HeuristicResult* results,
                          int* returned) = nullptr;
  int (*matmul)(void* handle, void* op, const void* alpha, const void* A, void* Adesc, const void* B, void* Bdesc, const void* beta,
                const void* C, void* Cdesc, void* D, void* Ddesc, const Algo* algo, void* workspace, size_t workspaceSize,
                void* stream) = nullptr;
  size_t (*getVersion)() = nullptr;
};

// Loads once (dl.hpp): $GPUCTL_CUBLASLT, then libcublasLt.so.N of the runtime's own major and the other,
// then both under CUDA_HOME / CUDA_PATH / /usr/local/cuda lib64, then libcublasLt.so.
const Api& api();
}  // namespace lt
