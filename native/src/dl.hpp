// The one loader of the libraries gpuctl-bench opens at run time with dlopen() (NCCL, cuBLASLt), so that
// it builds and runs without them: the first candidate name that opens, then a table of symbols. The
// error text names the library, the names tried, and the first missing symbol.
#pragma once
#include <string>
#include <vector>

namespace dl {
// One row of a symbol table: the exported name and the function pointer it fills.
struct Symbol {
  const char* name;
  void* slot;
  void (*assign)(void* slot, void* address);
};
template <class F> Symbol sym(const char* name, F& fn) {
  return {name, &fn, [](void* slot, void* address) { *static_cast<F*>(slot) = reinterpret_cast<F>(address); }};
}

struct Library {
  std::string path;   // the candidate dlopen() accepted; empty when none did
  std::string error;  // empty when the library opened and every symbol resolved
  bool ok() const { return !path.empty() && error.empty(); }
};

// Opens the first of `names` (RTLD_NOW | RTLD_LOCAL) and resolves every row of `table`; the library stays
// loaded on success. `what` names it in the errors:
//   "<what> not found (tried a, b[; hint])" and "<what> (<path>): symbol <name> not found".
Library load(const std::string& what, const std::vector<std::string>& names, const std::vector<Symbol>& table,
             const std::string& hint = "");

// <root>/lib64/<soname> for each soname under each of $CUDA_HOME, $CUDA_PATH and /usr/local/cuda (root by root).
std::vector<std::string> in_cuda_roots(const std::vector<std::string>& sonames);
}  // namespace dl
