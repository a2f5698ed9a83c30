#!/usr/bin/env bash
# docs/diag.md's transcripts and the "under load" threshold, on the GPU machine through the built CLI (as
# bench/verify_cli.sh, whose header says what to build and carry; run that first in the same call, so the benchmark
# program is built). nvidia-smi samples utilization.gpu, power and clocks every 200 ms beside each run, so the
# threshold (diag counts a sample "under load" at utilization.gpu >= 50%) can be read against what the GPU did.
#   there:  OUT=/tmp/d bash bench/diag_capture.sh; cp /tmp/d/diag.tgz $OUT/      (about 70 s on an H200; the device
#           tool brings back only a few files of $OUT: bring the archive)
set -uo pipefail
. "$(dirname "$0")/cli-preamble.sh"
SMI_FIELDS=timestamp,utilization.gpu,power.draw,clocks.sm,temperature.gpu,clocks_event_reasons.sw_power_cap
# name, then the command: stdout+stderr to NAME.out with the exit code as its last line, nvidia-smi to NAME.smi.csv.
run() {
  local name=$1 started smi rc
  shift
  started=$(date +%s%3N)
  nvidia-smi --query-gpu=$SMI_FIELDS --format=csv,nounits -lms 200 > "$name.smi.csv" 2>&1 &
  smi=$!
  sleep 1  # idle samples before the run
  { echo "\$ gpuctl ${*:${#GPUCTL[@]}+1}"; "$@" 2>&1; rc=$?; echo "(exit $rc)"; } > "$name.out"
  sleep 1
  kill "$smi" 2>/dev/null; wait "$smi" 2>/dev/null
  echo "$name rc=$rc wall_ms=$(( $(date +%s%3N) - started - 2000 ))" | tee -a timings.txt
}
{ date -u +%FT%TZ; nvidia-smi --query-gpu=name,driver_version,vbios_version,clocks.sm,power.limit --format=csv; } > env.txt
run quick-text "${GPUCTL[@]}" diag --level quick
run quick-json "${GPUCTL[@]}" diag --level quick --json
GPUCTL_DIAG_INJECT_FAULT=mem_bitflip run fault-mem "${GPUCTL[@]}" diag --level quick
GPUCTL_DIAG_INJECT_FAULT=stress_wrong run fault-stress "${GPUCTL[@]}" diag --level quick
run medium "${GPUCTL[@]}" diag --level medium --duration 30s
# The threshold: each 200 ms sample's utilization.gpu, split by whether the run's stress was going (power above
# 300 W, which an idle H200 never draws) or not.
python3 - <<'PY' | tee threshold.txt
import csv, glob
for path in sorted(glob.glob("*.smi.csv")):
    rows = [r for r in csv.reader(open(path)) if r and r[0][:2].isdigit()]
    busy = [int(r[1]) for r in rows if float(r[2]) > 300]
    idle = [int(r[1]) for r in rows if float(r[2]) <= 300]
    print(f"{path}: {len(rows)} samples; power > 300 W: {len(busy)}, utilization min {min(busy, default='-')}"
          f" max {max(busy, default='-')}, below 50%: {sum(u < 50 for u in busy)};"
          f" power <= 300 W: {len(idle)}, utilization >= 50%: {sum(u >= 50 for u in idle)}"
          f" (values {sorted(set(idle))})")
PY
tar czf diag.tgz --exclude=diag.tgz . 2>/dev/null
cat timings.txt
