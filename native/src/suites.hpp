// Entry points of the suites (main.cpp dispatches). gpu_main.cu is the only caller of CUDA code.
#pragma once
#include <vector>

#include "common.hpp"

int run_cpu_mode(const Options& o);                 // cpu_suite.cpp (no CUDA)
int run_gpu_mode(const Options& o);                 // gpu_main.cu: returns an exit code
void cpu_finance(const Options& o, int warmup, int repeat);
void fill_result(Result& r, const std::vector<double>& samples, double work, double scale);
