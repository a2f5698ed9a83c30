#!/usr/bin/env bash
# Issue 21, momentum: one device call builds native/, checks momentum at --quick size, then runs memcpy_d2d and
# momentum twice with GPUCTL_BENCH_VARIANTS=1: every rank form checked and timed (<form>Ms, <form>Passed) and the
# timing probes (probeRocMs, probeCountMs, probeScatterMs: the kernel cut after a phase, not ranks), then one ncu
# launch of the result form. Run from the folder holding native/ and bench/:   OUT=/tmp/out bench/run_momentum_forms.sh
set -o pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/momentum-out}
mkdir -p "$OUT"
. "$ROOT/bench/common.sh"
export GPUCTL_BENCH_VARIANTS=1
bench_env
bench_build "momentum" || exit 1
echo "== quick"; timeout 120 "$BIN" --quick --kernel momentum > "$OUT/quick.jsonl" 2>> "$OUT/native.err"; echo "quick rc=$?"
for rep in 1 2; do
  echo "== full $rep"
  timeout 200 "$BIN" --kernel memcpy_d2d,momentum > "$OUT/native-$rep.jsonl" 2>> "$OUT/native.err"; echo "full rc=$?"
done
python3 - "$OUT"/quick.jsonl "$OUT"/native-1.jsonl "$OUT"/native-2.jsonl <<'PY'
import json, sys
for f in sys.argv[1:]:
    for ln in open(f):
        o = json.loads(ln)
        if o.get("type") == "result":
            ex = {k: round(v, 4) for k, v in o.items() if k.endswith(("Ms", "Passed", "Float64")) and k not in ("medianMs", "samplesMs")}
            print(f.rsplit("/", 1)[-1], o["name"], round(o["medianMs"], 4), "ms", round(o["value"], 1), o["unit"], "ok" if o["check"]["passed"] else "FAIL", ex)
        elif o.get("type") in ("error", "skip"):
            print(ln.strip()[:300])
PY
if command -v ncu >/dev/null; then  # the result form, clocks left alone
  timeout 120 env -u GPUCTL_BENCH_VARIANTS ncu --clock-control none --kernel-name regex:momentum_ --launch-count 1 --section SpeedOfLight \
    --section Occupancy --section WarpStateStats --section InstructionStats "$BIN" --kernel momentum --repeat 1 --warmup 0 > "$OUT/ncu-momentum.txt" 2>&1
  echo "ncu rc=$?"
  grep -E "Duration|DRAM Throughput|Compute \(SM\) Throughput|L1/TEX Cache Throughput|Achieved Occupancy|Executed Instructions  " "$OUT/ncu-momentum.txt"
fi
