#include "cublaslt_dl.hpp"

#include <cstdlib>
#include <vector>

#include "dl.hpp"

extern const int gpuctl_cuda_runtime;  // gpu_main.cu: the CUDA version this program was built with

namespace lt {
namespace {
Api load() {
  Api a;
  // The cuBLASLt of the runtime's own major first (a CUDA 12 build on an R5xx driver cannot use 13's).
  const bool twelve = gpuctl_cuda_runtime / 1000 == 12;
  const std::string first = twelve ? "libcublasLt.so.12" : "libcublasLt.so.13";
  const std::string second = twelve ? "libcublasLt.so.13" : "libcublasLt.so.12";
  std::vector<std::string> names;
  if (const char* e = std::getenv("GPUCTL_CUBLASLT")) names.push_back(e);
  names.push_back(first);
  names.push_back(second);
  for (auto& n : dl::in_cuda_roots({first, second})) names.push_back(n);
  names.push_back("libcublasLt.so");
  const dl::Library lib = dl::load(
      "cuBLASLt", names,
      {dl::sym("cublasLtCreate", a.create), dl::sym("cublasLtDestroy", a.destroy), dl::sym("cublasLtMatmulDescCreate", a.descCreate),
       dl::sym("cublasLtMatmulDescDestroy", a.descDestroy), dl::sym("cublasLtMatmulDescSetAttribute", a.descSetAttribute),
       dl::sym("cublasLtMatrixLayoutCreate", a.layoutCreate), dl::sym("cublasLtMatrixLayoutDestroy", a.layoutDestroy),
       dl::sym("cublasLtMatmulPreferenceCreate", a.prefCreate), dl::sym("cublasLtMatmulPreferenceDestroy", a.prefDestroy),
       dl::sym("cublasLtMatmulPreferenceSetAttribute", a.prefSetAttribute), dl::sym("cublasLtMatmulAlgoGetHeuristic", a.algoGetHeuristic),
       dl::sym("cublasLtMatmul", a.matmul), dl::sym("cublasLtGetVersion", a.getVersion)});
  a.path = lib.path;
  a.error = lib.error;
  if (!lib.ok()) return a;
  a.version = a.getVersion();
  a.ok = true;
  return a;
}
}  // namespace

const Api& api() {
  static const Api a = load();
  return a;
}
}  // namespace lt
