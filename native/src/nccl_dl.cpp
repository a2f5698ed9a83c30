#include "nccl_dl.hpp"

#include <cstdlib>
#include <vector>

#include "dl.hpp"

namespace nccl {
namespace {
Api load() {
  Api a;
  std::vector<std::string> names;
  if (const char* e = std::getenv("GPUCTL_NCCL")) names.push_back(e);
  names.push_back("libnccl.so.2");
  for (auto& n : dl::in_cuda_roots({"libnccl.so.2"})) names.push_back(n);
  const dl::Library lib = dl::load(
      "NCCL", names,
      {dl::sym("ncclGetVersion", a.getVersion), dl::sym("ncclGetErrorString", a.getErrorString), dl::sym("ncclCommInitAll", a.commInitAll),
       dl::sym("ncclGetUniqueId", a.getUniqueId), dl::sym("ncclCommInitRank", a.commInitRank), dl::sym("ncclCommDestroy", a.commDestroy),
       dl::sym("ncclGroupStart", a.groupStart), dl::sym("ncclGroupEnd", a.groupEnd), dl::sym("ncclAllReduce", a.allReduce),
       dl::sym("ncclAllGather", a.allGather), dl::sym("ncclReduceScatter", a.reduceScatter), dl::sym("ncclBroadcast", a.broadcast)},
      "set GPUCTL_NCCL to libnccl.so.2");
  a.path = lib.path;
  a.error = lib.error;
  if (!lib.ok()) return a;
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
