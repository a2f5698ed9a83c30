#!/usr/bin/env bash
# The CPU VaR request against NumPy (issue 21, part 1), in alternating runs on a shared machine: ROUNDS rounds of
# (native `--cpu --kernel lat_var_1_stream`: the screened float32 form, the full float32 read (`_full_`) and the binary16
# storage form (`_f16_`), one thread and all threads;
# then bench/numpy_latency.py var: `R @ w` + np.partition, and NumPy's best float16-storage form), each run preceded
# by the load average. Optionally BASE=path/to/an/older/gpuctl-bench-cpu runs too, in the same rounds (before/after).
#   OUT=/tmp/varcmp ROUNDS=5 [BASE=...] bench/cpu_var_compare.sh
# Writes $OUT/native.jsonl, $OUT/numpy.jsonl (and $OUT/base.jsonl), each line with "round" and "load" added, and
# prints p50/p99/p99.9 per run (and the screened form's float32 rows recomputed per request, median/max). NumPy runs
# single-threaded with the machine's OpenBLAS workaround variables unset in its command alone
# (/work/.library/env/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:?set OUT to a folder for the results}
ROUNDS=${ROUNDS:-5}
mkdir -p "$OUT"
make -C native cpu OUT="$OUT/build" >"$OUT/build.log" 2>&1
BIN="$OUT/build/gpuctl-bench-cpu"
: >"$OUT/native.jsonl"
: >"$OUT/numpy.jsonl"
[ -n "${BASE:-}" ] && : >"$OUT/base.jsonl"
tag() { # round, load: added to every result line
  python3 -c 'import json,sys
r, l = sys.argv[1], float(sys.argv[2])
for line in sys.stdin:
    d = json.loads(line)
    if d.get("type", "result") == "result" and "p50Us" in d:
        d.pop("samplesMs", None)
        print(json.dumps({**d, "round": int(r), "load": l}))' "$1" "$2"
}
load() { cut -d' ' -f1 /proc/loadavg; }
for r in $(seq 1 "$ROUNDS"); do
  "$BIN" --cpu --kernel lat_var_1_stream 2>/dev/null | tag "$r" "$(load)" >>"$OUT/native.jsonl"
  if [ -n "${BASE:-}" ]; then "$BASE" --cpu --kernel lat_var_1_stream 2>/dev/null | tag "$r" "$(load)" >>"$OUT/base.jsonl"; fi
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 python3 bench/numpy_latency.py var | grep '^{' | tag "$r" "$(load)" >>"$OUT/numpy.jsonl"
done
python3 -c 'import json, os, sys
for f in sys.argv[1:]:
    for line in open(f):
        d = json.loads(line)
        c = " rows %g/%g" % (d["candidatesMedian"], d["candidatesMax"]) if "candidatesMax" in d else ""
        print("%-12s round %d  load %5.2f  %-22s p50 %8.1f  p99 %8.1f  p99.9 %8.1f  us%s" % (os.path.basename(f), d["round"], d["load"], d["name"], d["p50Us"], d["p99Us"], d["p999Us"], c))' \
  "$OUT"/native.jsonl ${BASE:+"$OUT"/base.jsonl} "$OUT"/numpy.jsonl
