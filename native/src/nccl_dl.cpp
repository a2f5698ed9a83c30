#include "nccl_dl.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <vector>

namespace nccl {
namespace {
template <class F>
bool sym(void* h, const char* name, F& f, std::string& err) {
  f = reinterpret_cast<F>(dlsym(h, name));
  if (!f) err = std::string("symbol ") + name + " not found";
  return f != nullptr;
}

Api load() {
  Api a;
  std::vector<std::string> names;
  if (const char* e = std::getenv("GPUCTL_NCCL")) names.push_back(e);
  names.push_back("libnccl.so.2");
  const char* roots[] = {std::getenv("CUDA_HOME"), std::getenv("CUDA_PATH"), "/usr/local/cuda"};
  for (const char* root : roots)
    if (root) names.push_back(std::string(root) + "/lib64/libnccl.so.2");
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
    a.error = "NCCL not found (tried " + tried + "; set GPUCTL_NCCL to libnccl.so.2)";
    return a;
  }
  std::string err;
  const bool ok = sym(h, "ncclGetVersion", a.getVersion, err) && sym(h, "ncclGetErrorString", a.getErrorString, err) &&
                  sym(h, "ncclCommInitAll", a.commInitAll, err) && sym(h, "ncclGetUniqueId", a.getUniqueId, err) &&
                  sym(h, "ncclCommInitRank", a.commInitRank, err) && sym(h, "ncclCommDestroy", a.commDestroy, err) &&
                  sym(h, "ncclGroupStart", a.groupStart, err) && sym(h, "ncclGroupEnd", a.groupEnd, err) &&
                  sym(h, "ncclAllReduce", a.allReduce, err) && sym(h, "ncclAllGather", a.allGather, err) &&
                  sym(h, "ncclReduceScatter", a.reduceScatter, err) && sym(h, "ncclBroadcast", a.broadcast, err);
  if (!ok) {
    a.error = a.path + ": " + err;
    return a;
  }
  a.getVersion(&a.version);
  a.ok = true;
  return a;
}
}  // namespace

const Api& api() {
  static const Api a = load();
  return a;
}
}  // namespace nccl
