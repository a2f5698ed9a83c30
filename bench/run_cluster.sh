#!/usr/bin/env bash
# The issue-9 measurement session on a lent multi-GPU machine, in one call (docs/benchmarks.md):
# topology, `gpuctl bench --gpus all --suite links,collectives,latency`, the PyTorch comparison, and the
# per-GPU suites on one GPU alone vs on every GPU at once. Run from a folder holding bin/, dist/,
# node_modules/, native/build/gpuctl-bench and bench/, with `node` on PATH and OUT set.
set -o pipefail
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1 PYTHONUNBUFFERED=1 NO_COLOR=1
export GPUCTL_BENCH_BIN=$PWD/native/build/gpuctl-bench GPUCTL_BENCH_TIMEOUT_MS=400000
GPUCTL_NCCL=$(python3 -c 'import nvidia.nccl, os; print(os.path.join(list(nvidia.nccl.__path__)[0], "lib", "libnccl.so.2"))' 2>/dev/null)
[ -f "$GPUCTL_NCCL" ] || GPUCTL_NCCL=$(find /opt /usr -name 'libnccl.so.2' 2>/dev/null | head -1)
export GPUCTL_NCCL
L=$OUT/log.txt
g() { node bin/gpuctl.js "$@"; }
smi() { nvidia-smi --query-gpu=index,name,driver_version,clocks.sm,clocks.mem,temperature.gpu,power.draw --format=csv,noheader; }
{
  echo "== $(date -u +%FT%TZ)"; smi; nvidia-smi topo -m; nvidia-smi nvlink --status | head -60
  python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'nccl', torch.cuda.nccl.version())"
  echo "GPUCTL_NCCL=$GPUCTL_NCCL"; "$GPUCTL_BENCH_BIN" --version; node --version; nproc; numactl -H 2>/dev/null | head -3
  echo "== gpuctl detect"; g detect
} > "$OUT/env.txt" 2>&1
g detect --json > "$OUT/detect.json" 2>> "$L"
echo "== cluster $(date -u +%T)" | tee -a "$L"
timeout 180 node bin/gpuctl.js bench --gpus all --suite links,collectives,latency --out "$OUT/cluster.json" > "$OUT/cluster.txt" 2>> "$L"; echo "cluster rc=$?" | tee -a "$L"
echo "== torch $(date -u +%T)" | tee -a "$L"
timeout 150 python3 bench/torch_cluster.py p2p allreduce latency --out "$OUT/torch.json" 2>> "$L"; echo "torch rc=$?" | tee -a "$L"
echo "== single vs all $(date -u +%T): $(smi | tr '\n' ' ')" | tee -a "$L"
timeout 100 node bin/gpuctl.js bench --gpus 0 --suite memory,finance --out "$OUT/single.json" >> "$L" 2>&1; echo "single rc=$?" | tee -a "$L"
timeout 120 node bin/gpuctl.js bench --gpus all --suite memory,finance --out "$OUT/all.json" >> "$L" 2>&1; echo "all rc=$?" | tee -a "$L"
echo "== end $(date -u +%T): $(smi | tr '\n' ' ')" | tee -a "$L"
