#!/usr/bin/env bash
# Issue 9, "per-GPU suites on 4 GPUs at once within 3% of one GPU alone", with each GPU's process bound
# to its GPU's local CPUs (native/PROTOCOL.md) and, for comparison, unbound (GPUCTL_BENCH_BIND=0), in
# one call on a lent multi-GPU machine (docs/benchmarks.md). Run from a folder holding bin/, dist/,
# node_modules/ and the built program, with `node` on PATH, GPUCTL_BENCH_BIN and OUT set.
set -o pipefail
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1 NO_COLOR=1 GPUCTL_BENCH_TIMEOUT_MS=400000
L=$OUT/log.txt
W=$(mktemp -d)  # the reports, packed into $OUT/reports.tgz at the end (few files come back)
smi() { nvidia-smi --query-gpu=index,name,driver_version,clocks.sm,clocks.mem,temperature.gpu,power.draw --format=csv,noheader; }
b() { # name bind gpus suites
  echo "== $1 (bind=$2, --gpus $3, $4) $(date -u +%T): $(smi | tr '\n' ' ')" | tee -a "$L"
  GPUCTL_BENCH_BIND=$2 timeout 150 node bin/gpuctl.js bench --gpus "$3" --suite "$4" --out "$W/$1.json" >> "$L" 2>&1
  echo "$1 rc=$?" | tee -a "$L"
}
{
  echo "== $(date -u +%FT%TZ)"; smi; nvidia-smi topo -m; numactl -H 2>/dev/null | head -4; lscpu | grep -E 'Model name|Socket|NUMA node'
  "$GPUCTL_BENCH_BIN" --version; node --version; nproc
  for g in /sys/bus/pci/drivers/nvidia/0000:*; do echo "$g numa=$(cat "$g/numa_node") cpus=$(cat "$g/local_cpulist")"; done
} > "$OUT/env.txt" 2>&1
for i in 1 2; do
  b single-bound-$i 1 0 memory,finance
  b all-bound-$i 1 all memory,finance
done
b single2-bound 1 2 memory
b single-unbound 0 0 memory,finance
b all-unbound 0 all memory,finance
b latency-bound 1 0 latency
b latency-unbound 0 0 latency
echo "== end $(date -u +%T): $(smi | tr '\n' ' ')" | tee -a "$L"
tar -czf "$OUT/reports.tgz" -C "$W" .
