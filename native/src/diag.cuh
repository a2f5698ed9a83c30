// Diag suite helpers shared by diag.cu (memory test) and diag_stress.cu (sustained stress).
#pragma once
#include <cstdint>

#include "gpu.cuh"

// Test-only fault injection: xor `mask` into the 32-bit word at device address `word` (read, flip, write back).
inline void flip_bit(GpuCtx& c, uint32_t* word, uint32_t mask) {
  uint32_t v = 0;
  CK(cudaMemcpyAsync(&v, word, 4, cudaMemcpyDeviceToHost, c.s));
  CK(cudaStreamSynchronize(c.s));
  v ^= mask;
  CK(cudaMemcpyAsync(word, &v, 4, cudaMemcpyHostToDevice, c.s));
  CK(cudaStreamSynchronize(c.s));
}
