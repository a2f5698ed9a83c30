#!/usr/bin/env bash
# One measurement session on the GPU machine (see docs/benchmarks.md). Run from the directory that holds
# native/ and bench/, with OUT set to a folder for the results:
#   bench/run_device.sh [native-args...]
# It records the GPU state, runs gpuctl-bench --quick (smoke) and the full suites, then the PyTorch
# comparison on the native JSON lines. The binary is native/build/gpuctl-bench (built with
# `make -C native ARCH=sm_90` beforehand, or here when missing).
set -o pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/bench-out}
mkdir -p "$OUT"
BIN=${BIN:-$ROOT/native/build/gpuctl-bench}
export PYTHONUNBUFFERED=1
smi() { nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,clocks.max.sm,clocks.max.mem,power.draw,temperature.gpu --format=csv,noheader; }
{
  echo "== $(date -u +%FT%TZ) start"; smi
  nvcc --version | tail -2
  python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.get_device_name())"
} 2>&1 | tee "$OUT/env.txt"
if [ ! -x "$BIN" ]; then make -C "$ROOT/native" -j16 ARCH=sm_90 >/dev/null || exit 1; fi
"$BIN" --version | tee -a "$OUT/env.txt"
if [ -z "${SKIP_QUICK:-}" ]; then
  echo "== quick"
  timeout 120 "$BIN" --quick > "$OUT/quick.jsonl" 2> "$OUT/native.err"; echo "quick rc=$?"
  grep -h '"error"\|"skip"' "$OUT/quick.jsonl"
fi
FAT=$ROOT/native/build/gpuctl-bench-fat
if [ -x "$FAT" ]; then  # the fat binary (SASS for sm_75..sm_90 + compute_90 PTX): a smoke run on this GPU
  echo "== fat smoke: $("$FAT" --version)"
  timeout 120 "$FAT" --quick --suite finance,memory > "$OUT/fat-quick.jsonl" 2>> "$OUT/native.err"; echo "fat quick rc=$?"
  grep -h '"error"\|"skip"\|"done"' "$OUT/fat-quick.jsonl"
fi
echo "== full $*"
timeout 300 "$BIN" "$@" > "$OUT/native.jsonl" 2>> "$OUT/native.err"; echo "full rc=$?"
grep -h '"error"\|"skip"' "$OUT/native.jsonl"
python3 - "$OUT/native.jsonl" <<'PY'
import json, sys
for ln in open(sys.argv[1]):
    o = json.loads(ln)
    if o.get("type") == "result":
        print(f'{o["name"]:22s} {o["value"]:12.4g} {o["unit"]:9s} {o["medianMs"]:10.4f} ms  err {o["check"]["error"]:.2e}')
PY
echo "== after native: $(smi)" | tee -a "$OUT/env.txt"
echo "== torch"
timeout ${TORCH_TIMEOUT:-330} python3 "$ROOT/bench/torch_compare.py" --native-jsonl "$OUT/native.jsonl" \
  --json-out "$OUT/compare.json" --md-out "$OUT/compare.md" --partial-out "$OUT/torch-partial.json" \
  ${TORCH_ARGS:-} 2> "$OUT/torch.log"; echo "torch rc=$?"
tail -40 "$OUT/torch.log"
echo "== end $(date -u +%FT%TZ): $(smi)" | tee -a "$OUT/env.txt"
