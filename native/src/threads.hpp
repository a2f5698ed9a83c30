// Minimal std::thread parallel loop (no OpenMP): static partition of [0, n) over `threads` workers.
#pragma once
#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#include "affinity.hpp"
#include "common.hpp"

// f(begin, end, worker) is called once per worker with a contiguous range.
template <class F> void parallel_ranges(int64_t n, F&& f, int threads = 0) {
  if (threads <= 0) threads = cpu_threads();
  threads = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, n)));
  if (threads == 1) {
    f(int64_t{0}, n, 0);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (int w = 0; w < threads; ++w) {
    int64_t b = n * w / threads, e = n * (w + 1) / threads;
    pool.emplace_back([&f, b, e, w] {
      affinity::restore_for_worker();  // the CPU reference uses the whole machine, even in a bound GPU run
      f(b, e, w);
    });
  }
  for (auto& t : pool) t.join();
}

// f(i) for every i in [0, n).
template <class F> void parallel_for(int64_t n, F&& f, int threads = 0) {
  parallel_ranges(
      n,
      [&f](int64_t b, int64_t e, int) {
        for (int64_t i = b; i < e; ++i) f(i);
      },
      threads);
}
