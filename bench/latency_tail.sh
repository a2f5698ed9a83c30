#!/usr/bin/env bash
# Issue 21, the GPU latency tail: one device call builds native/ (make -j16 ARCH=sm_90) and runs the
# 1-asset indicator request (stream and graph) and the 1,024-option Black-Scholes graph under each host
# setting of native/src/latency_tail.hpp, twice each, then the whole latency suite as shipped, then the
# CPU forms (--cpu --suite latency) on the GPU machine's own CPUs. Run from the folder holding native/:
#   OUT=/tmp/out bench/latency_tail.sh
# With arguments, only those variants, REPS times each (default 2), and the suites are skipped (SUITES=1 keeps
# them); variants run round-robin (rep 1 of each, then rep 2, ...) so that a slow spell of the host hits all:
#   REPS=5 bench/latency_tail.sh default:X=1 copy:GPUCTL_BENCH_LAT_FORM=copy pin15:GPUCTL_BENCH_LAT_PIN=15
# TICKPROBE=1 (and the run without arguments) first runs bench/tickprobe.sh: the host's own stalls, no GPU.
set -o pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/tail-out}
mkdir -p "$OUT"
BIN=$ROOT/native/build/gpuctl-bench
{
  date -u +%FT%TZ; nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,persistence_mode --format=csv,noheader
  nvcc --version | tail -1; uname -r; nproc; cat /sys/devices/system/clocksource/clocksource0/current_clocksource
} 2>&1 | tee "$OUT/env.txt"
( cd "$ROOT/native" && make -j16 ARCH=sm_90 OUT=build ) > "$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
"$BIN" --version | tee -a "$OUT/env.txt"
if [ "${TICKPROBE:-}" = 1 ] || [ $# -eq 0 ]; then OUT=$OUT bash "$ROOT/bench/tickprobe.sh" 2; fi
K=lat_ind_1x1024_stream,lat_ind_1x1024_graph,lat_bs_1024_graph
run() {  # name, env assignments... (REP set: that one repetition only)
  local name=$1; shift
  for rep in ${REP:-$(seq 1 "${REPS:-2}")}; do
    { echo "== $name $rep before"; grep -i nvidia /proc/interrupts; } >> "$OUT/irq.txt" 2>/dev/null
    env "$@" "$BIN" --kernel "$K" > "$OUT/tail-$name-$rep.jsonl" 2>> "$OUT/native.err"
    { echo "== $name $rep after"; grep -i nvidia /proc/interrupts; } >> "$OUT/irq.txt" 2>/dev/null
  done
}
if [ $# -gt 0 ]; then
  for rep in $(seq 1 "${REPS:-2}"); do
    for v in "$@"; do
      IFS=, read -r -a assigns <<< "${v#*:}"
      REP=$rep run "${v%%:*}" "${assigns[@]}"
    done
  done
else
run default X=1
run copy GPUCTL_BENCH_LAT_FORM=copy
run nobind GPUCTL_BENCH_BIND=0
run spin GPUCTL_BENCH_LAT_SYNC=spin
run yield GPUCTL_BENCH_LAT_SYNC=yield
run blocking GPUCTL_BENCH_LAT_SYNC=blocking
run poll GPUCTL_BENCH_LAT_WAIT=poll
run pin GPUCTL_BENCH_LAT_PIN=first
run pin_spin GPUCTL_BENCH_LAT_PIN=first GPUCTL_BENCH_LAT_SYNC=spin
run mlock GPUCTL_BENCH_LAT_MLOCK=1
run fifo GPUCTL_BENCH_LAT_FIFO=1
run all GPUCTL_BENCH_LAT_PIN=first GPUCTL_BENCH_LAT_SYNC=spin GPUCTL_BENCH_LAT_FIFO=1 GPUCTL_BENCH_LAT_MLOCK=1
run poll_pin_fifo GPUCTL_BENCH_LAT_WAIT=poll GPUCTL_BENCH_LAT_PIN=first GPUCTL_BENCH_LAT_FIFO=1
fi
if [ $# -eq 0 ] || [ "${SUITES:-}" = 1 ]; then
timeout 200 "$BIN" --suite latency > "$OUT/latency-suite.jsonl" 2>> "$OUT/native.err"; echo "latency suite rc=$?"
timeout 120 "$BIN" --cpu --suite latency > "$OUT/cpu-latency.jsonl" 2>> "$OUT/native.err"; echo "cpu latency rc=$?"
fi
python3 - "$OUT" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
def rows(path):
    for ln in open(path):
        o = json.loads(ln)
        if o.get('type') == 'result': yield o
        elif o.get('type') == 'error': print('ERROR', os.path.basename(path), o)
print(f"{'variant':<22}{'kernel':<24}{'p50':>7}{'p95':>7}{'p99':>7}{'p99.9':>8}{'max':>8}{'minflt':>7}{'vcsw':>7}{'ivcsw':>6}  check")
for path in sorted(glob.glob(f'{out}/tail-*.jsonl'), key=os.path.getmtime):
    v = os.path.basename(path)[5:-6]
    for o in rows(path):
        print(f"{v:<22}{o['name']:<24}{o['p50Us']:>7.1f}{o['p95Us']:>7.1f}{o['p99Us']:>7.1f}{o['p999Us']:>8.1f}{o['maxUs']:>8.1f}"
              f"{o.get('minorFaults',-1):>7.0f}{o.get('volCtxSw',-1):>7.0f}{o.get('involCtxSw',-1):>6.0f}  {o['check']['passed']} {o['check']['error']:.1e}")
for f in ('latency-suite.jsonl', 'cpu-latency.jsonl'):
    if not os.path.exists(f'{out}/{f}'): continue
    print('==', f)
    for o in rows(f'{out}/{f}'):
        print(f"{o['name']:<28}{o['p50Us']:>8.1f}{o['p95Us']:>8.1f}{o['p99Us']:>8.1f}{o['p999Us']:>9.1f}{o['maxUs']:>9.1f}  thr={o.get('threads', '-')} err={o['check']['error']:.1e}")
PY
