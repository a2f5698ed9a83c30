#!/usr/bin/env bash
# Issue 21, risk + quant kernels: one device call builds native/ (make -j16 ARCH=sm_90), runs es_historical,
# backtest_grid (PnL + Sharpe + max drawdown), zscore and momentum at --quick sizes on the GPU and in --cpu mode, then
# at full sizes beside the ceilings (memcpy_d2d, gemm_fp32) and var_historical, twice, with GPUCTL_BENCH_VARIANTS=1
# (zscore also checks and times its other launch shapes: the result's extra), then the PyTorch forms
# (eager and torch.compile) on the second run's JSON lines. Run from the folder holding native/ and bench/:
#   OUT=/tmp/out bench/run_risk.sh [extra gpuctl-bench args]      (NCU=1: one profiled launch of momentum and zscore)
set -o pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/risk-out}
mkdir -p "$OUT"
. "$ROOT/bench/common.sh"
export GPUCTL_BENCH_VARIANTS=1
bench_env
bench_build "zscore|momentum|backtest_kernel|es_tail" || exit 1
Q=es_historical,backtest_grid,zscore,momentum
echo "== quick"; timeout 120 "$BIN" --quick --kernel "$Q" > "$OUT/quick.jsonl" 2>> "$OUT/native.err"; echo "quick rc=$?"
echo "== cpu quick"; timeout 120 "$BIN" --cpu --quick --kernel "$Q,var_historical" > "$OUT/cpu-quick.jsonl" 2>> "$OUT/native.err"; echo "cpu rc=$?"
for rep in 1 2; do
  echo "== full $rep"
  timeout 200 "$BIN" --kernel "memcpy_d2d,gemm_fp32,var_historical,$Q" "$@" > "$OUT/native-$rep.jsonl" 2>> "$OUT/native.err"; echo "full rc=$?"
done
python3 - "$OUT"/quick.jsonl "$OUT"/cpu-quick.jsonl "$OUT"/native-1.jsonl "$OUT"/native-2.jsonl <<'PY'
import json, sys
for f in sys.argv[1:]:
    print("--", f.rsplit("/", 1)[-1])
    for ln in open(f):
        o = json.loads(ln)
        if o.get("type") == "result":
            c, cpu = o["check"], o.get("cpu") or {}
            ex = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in (o.get("extra") or {}).items()}
            ex.update({k: v for k, v in o.items() if k.endswith(("Float64", "Ms", "Passed", "Count")) and k not in ("medianMs", "samplesMs")})
            print(f'{o["name"]:14s} {o["value"]:10.4g} {o["unit"]:8s} {o["medianMs"]:9.4f} ms err {c["error"]:.2e} {"ok" if c["passed"] else "FAIL"} cpu {cpu.get("medianMs", 0):.1f} ms {ex}')
        elif o.get("type") in ("error", "skip"):
            print(ln.strip()[:300])
PY
if [ -n "${NCU:-}" ] && command -v ncu >/dev/null; then  # one profiled launch of each (clocks left alone)
  for k in momentum zscore; do
    timeout 90 env -u GPUCTL_BENCH_VARIANTS ncu --clock-control none --kernel-name "regex:${k}_" --launch-count 1 --section SpeedOfLight \
      --section Occupancy --section LaunchStats --section MemoryWorkloadAnalysis "$BIN" --kernel "$k" --repeat 1 --warmup 0 \
      > "$OUT/ncu-$k.txt" 2>&1; echo "ncu $k rc=$?"
    grep -E "^  [a-z_]+.*\(|Duration|Memory Throughput|DRAM Throughput|Compute \(SM\) Throughput|L1/TEX Cache Throughput|Achieved Occupancy|Block Limit (Sh|Reg)" "$OUT/ncu-$k.txt" | head -12
  done
fi
bench_stamp "after native"
TORCH_TAIL=22 bench_torch "memcpy_d2d,var_historical,$Q"
bench_stamp end
