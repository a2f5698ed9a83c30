// Registry rows of the links, collectives and latency suites (issue 9). Links and collectives emit one
// result per GPU pair or message size: the result's name is the kernel's name + "_<src>_<dst>" or
// "_<bytes>" (PROTOCOL.md).
#include "common.hpp"

const std::vector<KernelInfo>& cluster_kernels() {
  static const std::vector<KernelInfo> rows = {
      {"links", "p2p_ce_uni", "GB/s", "peer copy, copy engine (cudaMemcpyPeerAsync), one direction; per ordered GPU pair"},
      {"links", "p2p_ce_bidir", "GB/s", "peer copy, copy engine, both directions at once: per-direction figure; per pair"},
      {"links", "p2p_sm_uni", "GB/s", "peer copy, SM copy kernel on the source writing to the peer, one direction; per pair"},
      {"links", "p2p_sm_bidir", "GB/s", "peer copy, SM copy kernels both ways at once: per-direction figure; per pair"},
      {"links", "p2p_latency", "us", "peer read latency: dependent loads (pointer chase) from the peer's memory; per pair"},
      {"links", "h2d_numa", "GB/s", "host-to-device copy per GPU from pinned memory on the GPU's own NUMA node"},
      {"collectives", "all_reduce", "GB/s", "NCCL all-reduce fp32 sum, 8 B .. 1 GiB: busbw = algbw x 2(n-1)/n (nccl-tests)"},
      {"collectives", "all_gather", "GB/s", "NCCL all-gather fp32, 8 B .. 1 GiB total: busbw = algbw x (n-1)/n"},
      {"collectives", "reduce_scatter", "GB/s", "NCCL reduce-scatter fp32 sum, 8 B .. 1 GiB total: busbw = algbw x (n-1)/n"},
      {"collectives", "broadcast", "GB/s", "NCCL broadcast from rank 0, 8 B .. 1 GiB: busbw = algbw"},
      {"latency", "lat_ind_1x1024_stream", "us", "request: H2D, SMA+EMA+Bollinger+RSI on 1 x 1024, D2H, sync; stream launches; p99"},
      {"latency", "lat_ind_1x1024_graph", "us", "the same request replayed as one CUDA graph; p99"},
      {"latency", "lat_ind_64x1024_stream", "us", "request: indicators on 64 assets x 1024 steps; stream launches; p99"},
      {"latency", "lat_ind_64x1024_graph", "us", "indicators on 64 x 1024 as one CUDA graph; p99"},
      {"latency", "lat_bs_1024_stream", "us", "request: Black-Scholes call+put for 1024 options, H2D..D2H; stream; p99"},
      {"latency", "lat_bs_1024_graph", "us", "Black-Scholes 1024 options as one CUDA graph; p99"},
      {"latency", "lat_bs_65536_stream", "us", "request: Black-Scholes for 65536 options; stream; p99"},
      {"latency", "lat_bs_65536_graph", "us", "Black-Scholes 65536 options as one CUDA graph; p99"},
      {"latency", "lat_var_1_stream", "us", "request: VaR 99% update of one portfolio (new weights, 4096 resident scenarios x 512 assets); stream; p99"},
      {"latency", "lat_var_1_graph", "us", "the VaR update as one CUDA graph; p99"},
  };
  return rows;
}
