// NCCL loaded at run time with dlopen() (libnccl.so.2), so that the program builds and runs without it;
// the collectives suite gives skip lines when it cannot be loaded. The few prototypes and enum values
// used are declared here (as in nccl.h of NCCL 2.x).
#pragma once
#include <cstddef>
#include <string>

namespace nccl {
using Comm = void*;
struct UniqueId {
  char internal[128];  // NCCL_UNIQUE_ID_BYTES
};
constexpr int kFloat32 = 7;  // ncclFloat32
constexpr int kSum = 0;      // ncclSum

struct Api {
  bool ok = false;
  std::string error, path;
  int version = 0;  // ncclGetVersion: e.g. 22707 for 2.27.7
  int (*getVersion)(int* v) = nullptr;
  const char* (*getErrorString)(int r) = nullptr;
  int (*commInitAll)(Comm* comms, int ndev, const int* devlist) = nullptr;
  int (*getUniqueId)(UniqueId* id) = nullptr;
  int (*commInitRank)(Comm* comm, int nranks, UniqueId id, int rank) = nullptr;
  int (*commDestroy)(Comm c) = nullptr;
  int (*groupStart)() = nullptr;
  int (*groupEnd)() = nullptr;
  int (*allReduce)(const void* s, void* r, size_t count, int type, int op, Comm c, void* stream) = nullptr;
  int (*allGather)(const void* s, void* r, size_t sendcount, int type, Comm c, void* stream) = nullptr;
  int (*reduceScatter)(const void* s, void* r, size_t recvcount, int type, int op, Comm c, void* stream) = nullptr;
  int (*broadcast)(const void* s, void* r, size_t count, int type, int root, Comm c, void* stream) = nullptr;
};

// Loads once (dl.hpp): $GPUCTL_NCCL, libnccl.so.2, then CUDA_HOME / CUDA_PATH / /usr/local/cuda lib64.
const Api& api();
}  // namespace nccl
