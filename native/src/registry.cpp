// The kernel registry, expanded from kernels.inc (the one table), with each row's CPU function.
// Host code only: the CPU-only build links this file too.
#include <algorithm>

#include "common.hpp"
#include "suites.hpp"

#define KERNEL(suite, name, unit, gpu, cpu, description) void cpu(const CpuRun&, const KernelInfo&);
#include "kernels.inc"
#undef KERNEL

namespace {
const std::vector<KernelInfo> kRegistry = {
#define KERNEL(suite, name, unit, gpu, cpu, description) {#suite, #name, unit, description, &cpu},
#include "kernels.inc"
#undef KERNEL
};
}  // namespace

const std::vector<KernelInfo>& kernel_registry() { return kRegistry; }

const KernelInfo* find_kernel(const std::string& name) {
  for (auto& k : kRegistry)
    if (name == k.name) return &k;
  return nullptr;
}

std::vector<std::string> suite_names() {
  std::vector<std::string> out;
  for (auto& k : kRegistry)
    if (std::find(out.begin(), out.end(), k.suite) == out.end()) out.push_back(k.suite);
  return out;
}

Result result_for(const KernelInfo& k) {
  Result r;
  r.suite = k.suite;
  r.name = k.name;
  r.unit = k.unit;
  return r;
}

Result result_for(const KernelInfo& k, const std::string& instance) {
  Result r = result_for(k);
  r.name += "_" + instance;  // one row, several results: a GPU pair ("0_1"), a message size, a GPU
  return r;
}

Result result_for_cpu_request(const KernelInfo& k, const std::string& form) {
  Result r = result_for(k);
  const std::string stream = "_stream";
  if (r.name.size() > stream.size() && r.name.compare(r.name.size() - stream.size(), stream.size(), stream) == 0)
    r.name.resize(r.name.size() - stream.size());
  r.name += "_" + form;  // lat_ind_1x1024_stream -> lat_ind_1x1024_cpu1 / _cpuall
  return r;
}
