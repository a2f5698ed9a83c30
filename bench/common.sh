# The preamble the device scripts (bench/run_quant.sh, run_risk.sh, run_meanvar.sh) share; sourced, not run:
#   ROOT=... OUT=...; . "$ROOT/bench/common.sh"
#   bench_env                  # $OUT/env.txt: date, GPU state (smi), nvcc, kernel, CPUs, torch (also printed)
#   bench_build 'regex'        # make -j16 ARCH=sm_90 PTXAS_V=1 into native/build ($OUT/build.log); prints the
#                              # registers/spill lines of the kernels the regex names, then the binary's --version
#   bench_stamp 'label'        # appends "== label <date>: <smi>" to $OUT/env.txt (and prints it)
#   bench_torch 'k1,k2' [args] # bench/torch_compare.py on $OUT/native-2.jsonl (compare.json/.md, torch.log)
# BIN is the built gpuctl-bench. The caller keeps `set -o pipefail` and its own runs and summaries.
BIN=$ROOT/native/build/gpuctl-bench
export PYTHONUNBUFFERED=1

smi() { nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,clocks.max.sm,power.draw,temperature.gpu --format=csv,noheader; }

bench_env() {
  {
    echo "== $(date -u +%FT%TZ) start"
    smi
    nvcc --version | tail -1
    uname -r
    nproc
    python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.get_device_name())"
  } 2>&1 | tee "$OUT/env.txt"
}

bench_build() {
  (cd "$ROOT/native" && make -j16 ARCH=sm_90 OUT=build PTXAS_V=1) > "$OUT/build.log" 2>&1 || {
    tail -30 "$OUT/build.log"
    return 1
  }
  grep -E -A3 "$1" "$OUT/build.log" | grep -i "registers\|spill" | head -12
  "$BIN" --version | tee -a "$OUT/env.txt"
}

bench_stamp() { echo "== $1 $(date -u +%FT%TZ): $(smi)" | tee -a "$OUT/env.txt"; }

bench_torch() {
  local only=$1
  shift
  echo "== torch"
  timeout "${TORCH_TIMEOUT:-300}" python3 "$ROOT/bench/torch_compare.py" --native-jsonl "$OUT/native-2.jsonl" --only "$only" \
    --json-out "$OUT/compare.json" --md-out "$OUT/compare.md" --partial-out "$OUT/torch-partial.json" "$@" 2> "$OUT/torch.log"
  echo "torch rc=$?"
  grep -v "^\s*$" "$OUT/torch.log" | tail -"${TORCH_TAIL:-15}"
}
