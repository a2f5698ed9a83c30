#include "dl.hpp"

#include <dlfcn.h>

#include <cstdlib>

namespace dl {
Library load(const std::string& what, const std::vector<std::string>& names, const std::vector<Symbol>& table, const std::string& hint) {
  Library lib;
  void* handle = nullptr;
  std::string tried;
  for (const auto& name : names) {
    handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle) {
      lib.path = name;
      break;
    }
    tried += (tried.empty() ? "" : ", ") + name;
  }
  if (!handle) {
    lib.error = what + " not found (tried " + tried + (hint.empty() ? "" : "; " + hint) + ")";
    return lib;
  }
  for (const Symbol& s : table) {
    void* address = dlsym(handle, s.name);
    if (!address) {
      lib.error = what + " (" + lib.path + "): symbol " + s.name + " not found";
      dlclose(handle);
      return lib;
    }
    s.assign(s.slot, address);
  }
  return lib;
}

std::vector<std::string> in_cuda_roots(const std::vector<std::string>& sonames) {
  std::vector<std::string> out;
  const char* roots[] = {std::getenv("CUDA_HOME"), std::getenv("CUDA_PATH"), "/usr/local/cuda"};
  for (const char* root : roots)
    if (root)
      for (const auto& so : sonames) out.push_back(std::string(root) + "/lib64/" + so);
  return out;
}
}  // namespace dl
