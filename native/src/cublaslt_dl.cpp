#include "cublaslt_dl.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <vector>

extern const int gpuctl_cuda_runtime;  // gpu_main.cu: the CUDA version this program was built with

namespace lt {
namespace {
template <class F>
bool sym(void* h, const char* name, F& f, std::string& err) {
  f = reinterpret_cast<F>(dlsym(h, name));
  if (!f) err = std::string("symbol ") + name + " not found";
  return f != nullptr;
}

Api load() {
  Api a;
  // The cuBLASLt of the runtime's own major first (a CUDA 12 build on an R5xx driver cannot use 13's).
  const bool twelve = gpuctl_cuda_runtime / 1000 == 12;
  const char* first = twelve ? "libcublasLt.so.12" : "libcublasLt.so.13";
  const char* second = twelve ? "libcublasLt.so.13" : "libcublasLt.so.12";
  std::vector<std::string> names = {first, second};
  if (const char* e = std::getenv("GPUCTL_CUBLASLT")) names.insert(names.begin(), e);
  const char* roots[] = {std::getenv("CUDA_HOME"), std::getenv("CUDA_PATH"), "/usr/local/cuda"};
  for (const char* root : roots) {
    if (!root) continue;
    names.push_back(std::string(root) + "/lib64/" + first);
    names.push_back(std::string(root) + "/lib64/" + second);
  }
  names.push_back("libcublasLt.so");
  void* h = nullptr;
  std::string tried;
  for (auto& n : names) {
    h = dlopen(n.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (h) {
      a.path = n;
      break;
    }
    tried += (tried.empty() ? "" : ", ") + n;
  }
  if (!h) {
    a.error = "cuBLASLt not found (tried " + tried + ")";
    return a;
  }
  std::string err;
  bool ok = sym(h, "cublasLtCreate", a.create, err) && sym(h, "cublasLtDestroy", a.destroy, err) &&
            sym(h, "cublasLtMatmulDescCreate", a.descCreate, err) &&
            sym(h, "cublasLtMatmulDescDestroy", a.descDestroy, err) &&
            sym(h, "cublasLtMatmulDescSetAttribute", a.descSetAttribute, err) &&
            sym(h, "cublasLtMatrixLayoutCreate", a.layoutCreate, err) &&
            sym(h, "cublasLtMatrixLayoutDestroy", a.layoutDestroy, err) &&
            sym(h, "cublasLtMatmulPreferenceCreate", a.prefCreate, err) &&
            sym(h, "cublasLtMatmulPreferenceDestroy", a.prefDestroy, err) &&
            sym(h, "cublasLtMatmulPreferenceSetAttribute", a.prefSetAttribute, err) &&
            sym(h, "cublasLtMatmulAlgoGetHeuristic", a.algoGetHeuristic, err) &&
            sym(h, "cublasLtMatmul", a.matmul, err) && sym(h, "cublasLtGetVersion", a.getVersion, err);
  if (!ok) {
    a.error = a.path + ": " + err;
    return a;
  }
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
