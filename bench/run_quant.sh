#!/usr/bin/env bash
# Issue 21, the quant kernels: one device call builds native/ (make -j16 ARCH=sm_90), runs the quant kernels
# at --quick sizes, then at full sizes beside the copy ceiling (memcpy_d2d) and the window kernels they
# resemble (sma, bollinger), twice, then the PyTorch forms (eager and torch.compile) on the native JSON
# lines. GPUCTL_BENCH_VARIANTS=1 unless set empty: zscore and momentum also check and time their other launch forms
# (the result's <form>Ms, <form>Passed). Run from the folder holding native/ and bench/:
#   OUT=/tmp/out bench/run_quant.sh [extra gpuctl-bench args]      (NCU=1: one profiled launch of each result form)
set -o pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/quant-out}
mkdir -p "$OUT"
. "$ROOT/bench/common.sh"
export GPUCTL_BENCH_VARIANTS=${GPUCTL_BENCH_VARIANTS-1}  # the launchers also check and time their other forms (extra)
bench_env
bench_build "zscore|momentum" || exit 1
cuobjdump -sass "$ROOT/native/build/obj-sm_90/quant_zscore.o" > "$OUT/zscore.sass" 2>&1 &&
  awk '/Function :/ { f = $3 } /^ +\/\*[0-9a-f]+\*\/ / { n[f]++ } END { for (k in n) print n[k], "SASS instructions:", k }' "$OUT/zscore.sass"
Q=zscore,momentum
echo "== quick"; timeout 120 "$BIN" --quick --kernel "$Q" > "$OUT/quick.jsonl" 2>> "$OUT/native.err"; echo "quick rc=$?"
echo "== cpu quick"; timeout 120 "$BIN" --cpu --quick --kernel "$Q" > "$OUT/cpu-quick.jsonl" 2>> "$OUT/native.err"; echo "cpu rc=$?"
for rep in 1 2; do
  echo "== full $rep"
  timeout 200 "$BIN" --kernel "memcpy_d2d,sma,bollinger,$Q" "$@" > "$OUT/native-$rep.jsonl" 2>> "$OUT/native.err"; echo "full rc=$?"
done
cat "$OUT/native-1.jsonl" "$OUT/native-2.jsonl" > "$OUT/native.jsonl"
python3 - "$OUT"/quick.jsonl "$OUT"/cpu-quick.jsonl "$OUT"/native-1.jsonl "$OUT"/native-2.jsonl <<'PY'
import json, sys
for f in sys.argv[1:]:
    print("--", f.rsplit("/", 1)[-1])
    for ln in open(f):
        o = json.loads(ln)
        if o.get("type") == "result":
            c, cpu = o["check"], o.get("cpu") or {}
            ex = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in (o.get("extra") or {}).items()}
            ex.update({k: v for k, v in o.items() if k.endswith(("Float64", "Ms", "Passed")) and k not in ("medianMs", "samplesMs")})
            print(f'{o["name"]:12s} {o["value"]:10.4g} {o["unit"]:6s} {o["medianMs"]:9.4f} ms err {c["error"]:.2e} {"ok" if c["passed"] else "FAIL"} cpu {cpu.get("medianMs", 0):.1f} ms {ex}')
        elif o.get("type") in ("error", "skip"):
            print(ln.strip()[:300])
PY
if [ -n "${NCU:-}" ] && command -v ncu >/dev/null; then  # one profiled launch of each quant kernel's result form (clocks left alone)
  for k in zscore momentum; do
    timeout 90 env -u GPUCTL_BENCH_VARIANTS ncu --clock-control none --kernel-name "regex:${k}_" --launch-count 1 --section SpeedOfLight \
      --section Occupancy --section LaunchStats --section MemoryWorkloadAnalysis "$BIN" --kernel "$k" --repeat 1 --warmup 0 \
      > "$OUT/ncu-$k.txt" 2>&1; echo "ncu $k rc=$?"
    grep -E "^  [a-z_<>:() ]+\(|Duration|Memory Throughput|DRAM Throughput|Compute \(SM\) Throughput|L1/TEX Cache Throughput|Achieved Occupancy|Block Limit (Sh|Reg)" "$OUT/ncu-$k.txt" | head -12
  done
fi
bench_stamp "after native"
bench_torch "memcpy_d2d,$Q"
bench_stamp end
