// gpuctl-bench entry point: command line (PROTOCOL.md), --list, --version, and dispatch to --cpu mode
// or GPU mode. This file touches no CUDA API.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

#include "common.hpp"
#include "cpu_var_screen.hpp"
#include "json.hpp"
#include "suites.hpp"

extern const char* const gpuctl_version;  // build_info.cc: package.json's version
extern const char* const gpuctl_built;
// gpu_main.cu: CUDART_VERSION (a constant; no API call); gpu_none.cc (CPU-only build): 0, written as null
extern const int gpuctl_cuda_runtime;

namespace {
std::string cuda_runtime() { return gpuctl_cuda_runtime ? std::to_string(gpuctl_cuda_runtime) : "null"; }

struct UsageError {
  std::string msg;
};

const char* kHelp =
    "usage: gpuctl-bench --list | --version\n"
    "       gpuctl-bench [--suite SUITE[,SUITE...]] [--kernel NAME[,NAME...]] [--quick]\n"
    "                    [--repeat N] [--warmup N] [--size KEY=VALUE]... [--seed N] [--cpu]\n"
    "                    [--cpu-compare] [--device N] [--gpus N,N...]\n"
    "Suites and kernels: --list. JSON lines on stdout (see native/PROTOCOL.md); diagnostics on stderr.\n";

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

int64_t parse_int(const std::string& flag, const std::string& v, int64_t lo) {
  char* end = nullptr;
  errno = 0;
  long long x = std::strtoll(v.c_str(), &end, 0);
  if (v.empty() || *end || errno || x < lo) throw UsageError{flag + " expects an integer >= " + std::to_string(lo) + ", got '" + v + "'"};
  return x;
}

void apply_quick(Sizes& z) {
  z.bytes = 64ull << 20;
  z.n = 1024;
  z.series = 256;
  z.steps = 4096;
  z.options = 1 << 20;
  z.paths = 1 << 20;
  z.asian_paths = 1 << 16;
  z.asian_steps = 64;
  z.portfolios = 128;
  z.scenarios = 1024;
  z.assets = 256;
  z.grid_series = 32;
  z.grid_steps = 4096;
  z.mv_portfolios = 64;
  z.mv_returns = 1024;
  z.mv_assets = 256;
  z.coll_max = 64ull << 20;
  z.requests = 1000;
  z.seconds = 2;
  z.mem_pct = 4;
}

void set_size(Sizes& z, const std::string& kv) {
  auto eq = kv.find('=');
  if (eq == std::string::npos) throw UsageError{"--size expects KEY=VALUE, got '" + kv + "'"};
  const std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
  const int64_t x = parse_int("--size " + k, v, 1);
  if (k == "bytes") z.bytes = static_cast<uint64_t>(x);
  else if (k == "n") z.n = x;
  else if (k == "series") z.series = x;
  else if (k == "steps") z.steps = x;
  else if (k == "options") z.options = x;
  else if (k == "paths") z.paths = x;
  else if (k == "asian_paths") z.asian_paths = x;
  else if (k == "asian_steps") z.asian_steps = x;
  else if (k == "portfolios") z.portfolios = x;
  else if (k == "scenarios") z.scenarios = x;
  else if (k == "assets") z.assets = x;
  else if (k == "grid_series") z.grid_series = x;
  else if (k == "grid_steps") z.grid_steps = x;
  else if (k == "mv_portfolios") z.mv_portfolios = x;
  else if (k == "mv_returns") z.mv_returns = x;
  else if (k == "mv_assets") z.mv_assets = x;
  else if (k == "coll_max") z.coll_max = static_cast<uint64_t>(x);
  else if (k == "requests") z.requests = x;
  else if (k == "seconds") z.seconds = x;
  else if (k == "mem_pct") z.mem_pct = x;
  else throw UsageError{"unknown --size key '" + k + "'"};
}

void validate(const Sizes& z) {
  auto need = [](bool ok, const std::string& m) {
    if (!ok) throw UsageError{m};
  };
  need(z.bytes >= (1u << 20) && z.bytes % 16 == 0, "--size bytes must be a multiple of 16 and >= 1048576");
  need(z.n >= 64 && z.n % 16 == 0, "--size n must be a multiple of 16 and >= 64");
  need(z.steps >= 64 && z.steps % 16 == 0, "--size steps must be a multiple of 16 and >= 64");
  need(z.grid_steps > fin::kMaxWin + 1, "--size grid_steps must be > 201 (the longest slow window is 200)");
  need(z.scenarios % 4 == 0 && z.scenarios >= 100, "--size scenarios must be a multiple of 4 and >= 100");
  need(z.assets % 4 == 0, "--size assets must be a multiple of 4");
  need(z.mv_assets % 128 == 0 && z.mv_assets <= 1024, "--size mv_assets must be a multiple of 128 and <= 1024");
  need(z.mv_returns % 8 == 0 && z.mv_returns > z.mv_assets,
       "--size mv_returns must be a multiple of 8 and > mv_assets (else the covariance is singular)");
  need(z.mv_portfolios < 65536, "--size mv_portfolios must be < 65536");
  need(z.coll_max >= 8, "--size coll_max must be >= 8");
  need(z.mem_pct >= 1 && z.mem_pct <= 98, "--size mem_pct must be 1..98");
  need(z.options < (1ll << 31) && z.paths < (1ll << 34) && z.asian_paths < (1ll << 31), "size too large");
}

Options parse(int argc, char** argv) {
  Options o;
  std::vector<std::string> sizes;
  bool seen_quick = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::string val;
    auto eq = a.find('=');
    if (a.rfind("--", 0) == 0 && eq != std::string::npos && a.rfind("--size", 0) != 0) {
      val = a.substr(eq + 1);
      a = a.substr(0, eq);
    } else if (a.rfind("--size=", 0) == 0) {
      val = a.substr(7);
      a = "--size";
    }
    auto next = [&]() -> std::string {
      if (!val.empty()) return val;
      if (i + 1 >= argc) throw UsageError{a + " needs a value"};
      return argv[++i];
    };
    if (a == "--list") o.list = true;
    else if (a == "--version") o.version = true;
    else if (a == "--quick") seen_quick = true;
    else if (a == "--cpu") o.cpu = true;
    else if (a == "--cpu-compare") o.cpu_compare = true;
    else if (a == "--inject-fault") {
      o.fault = next();
      if (o.fault != "mem_bitflip" && o.fault != "stress_wrong")
        throw UsageError{"--inject-fault expects mem_bitflip or stress_wrong, got '" + o.fault + "'"};
    } else if (a == "--self-test") {
      o.self_test = next();
      if (o.self_test != "var_screen") throw UsageError{"--self-test expects var_screen, got '" + o.self_test + "'"};
    } else if (a == "--repeat") o.repeat = static_cast<int>(parse_int(a, next(), 1));
    else if (a == "--warmup") o.warmup = static_cast<int>(parse_int(a, next(), 0));
    else if (a == "--seed") o.seed = static_cast<uint64_t>(parse_int(a, next(), 0));
    else if (a == "--device") o.device = static_cast<int>(parse_int(a, next(), 0));
    else if (a == "--size") sizes.push_back(next());
    else if (a == "--gpus") {
      o.gpus.clear();
      for (auto& g : split(next())) o.gpus.push_back(static_cast<int>(parse_int(a, g, 0)));
      if (o.gpus.empty()) throw UsageError{"--gpus expects a comma list of device indices"};
    } else if (a == "--suite") {
      for (auto& s : split(next())) {
        const auto known = suite_names();
        if (std::find(known.begin(), known.end(), s) == known.end()) throw UsageError{"unknown suite '" + s + "'"};
        o.suites.insert(s);
      }
    } else if (a == "--kernel") {
      for (auto& k : split(next())) {
        if (!find_kernel(k)) throw UsageError{"unknown kernel '" + k + "' (see --list)"};
        o.kernels.insert(k);
      }
    } else if (a == "--help" || a == "-h") {
      std::fputs(kHelp, stderr);
      std::exit(0);
    } else {
      throw UsageError{"unknown argument '" + std::string(argv[i]) + "'"};
    }
  }
  o.quick = seen_quick;
  if (o.quick) apply_quick(o.sz);
  for (auto& s : sizes) set_size(o.sz, s);
  validate(o.sz);
  return o;
}
}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const UsageError& e) {
    emit_error("usage", "", "", e.msg);
    std::fputs(kHelp, stderr);
    return 2;
  }
  if (o.version) {
    emit_line(JsonObj()
                  .str("type", "version")
                  .integer("protocol", 1)
                  .str("program", "gpuctl-bench")
                  .str("version", gpuctl_version)
                  .raw("cudaRuntime", cuda_runtime())
                  .str("built", gpuctl_built)
                  .done());
    return 0;
  }
  if (!o.self_test.empty()) return varscreen::self_test();  // cpu_var_screen_check.cpp
  if (o.list) {
    for (auto& k : kernel_registry()) {
      if (!o.selected(k.suite, k.name)) continue;
      emit_line(JsonObj()
                    .str("type", "kernel")
                    .str("suite", k.suite)
                    .str("name", k.name)
                    .str("unit", k.unit)
                    .str("description", k.description)
                    .done());
    }
    return 0;
  }
  emit_line(JsonObj()
                .str("type", "hello")
                .integer("protocol", 1)
                .str("version", gpuctl_version)
                .raw("cudaRuntime", cuda_runtime())
                .str("mode", o.cpu ? "cpu" : "gpu")
                .done());
  int rc = 0;
  if (o.cpu) {
    rc = run_cpu_mode(o);
  } else {
    rc = run_gpu_mode(o);
  }
  const int failed = failures();
  emit_line(JsonObj().str("type", "done").boolean("ok", failed == 0 && rc == 0).integer("failed", failed).done());
  if (rc) return rc;
  return failed ? 1 : 0;
}
