#!/usr/bin/env bash
# Issue 21, the batched mean-variance step: one device call builds native/ (make -j16 ARCH=sm_90), runs meanvar at
# --quick sizes (GPU and CPU form), then at full size twice beside the ceilings it is held to (memcpy_d2d for the
# returns pass, gemm_fp32 / gemm_tf32 for the covariance), then the PyTorch forms (torch.linalg: bmm + cuSOLVER
# Cholesky and solves, eager and torch.compile; tf32 timed beside) on the native JSON lines. Run from the folder
# holding native/ and bench/:
#   OUT=/tmp/out bench/run_meanvar.sh [extra gpuctl-bench args]
# Everything lands in $OUT/meanvar-run/ and is packed into $OUT/meanvar-run.tgz on exit (the device tool returns 8 files).
set -o pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PACK=${OUT:-$ROOT}
OUT=$PACK/meanvar-run
mkdir -p "$OUT"
trap 'tar czf "$PACK/meanvar-run.tgz" -C "$OUT" . && rm -rf "$OUT"' EXIT
. "$ROOT/bench/common.sh"
bench_env
bench_build "mv_syrk_kernel|mv_syrk_tc_kernel|mv_chol_kernel|mv_mean_kernel" || exit 1
cuobjdump -sass "$ROOT/native/build/obj-sm_90/meanvar_syrk.o" > /tmp/meanvar_syrk.sass 2>&1 && echo "SASS: $(grep -c HMMA /tmp/meanvar_syrk.sass) HMMA, $(grep -c 'LDL\|STL' /tmp/meanvar_syrk.sass) LDL/STL, $(grep -c LDGSTS /tmp/meanvar_syrk.sass) LDGSTS"
K=meanvar
show() {
  python3 - "$@" <<'PY'
import json, sys
for f in sys.argv[1:]:
    print("--", f.rsplit("/", 1)[-1])
    for ln in open(f):
        o = json.loads(ln)
        if o.get("type") == "result":
            c, cpu = o["check"], o.get("cpu") or {}
            ex = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in o.items() if k.endswith(("Ms", "RelL2", "Form"))
                  and k not in ("medianMs", "samplesMs")}
            print(f'{o["name"]:12s} {o["value"]:9.4g} {o["unit"]:7s} {o["medianMs"]:9.3f} ms err {c["error"]:.2e} '
                  f'{"ok" if c["passed"] else "FAIL " + c.get("detail", "")} cpu {cpu.get("medianMs", 0):.0f} ms {ex}')
        elif o.get("type") in ("error", "skip"):
            print(ln.strip()[:400])
PY
}
echo "== quick"; timeout 120 "$BIN" --quick --kernel "$K" > "$OUT/quick.jsonl" 2>> "$OUT/native.err"; echo "quick rc=$?"
echo "== cpu quick"; timeout 120 "$BIN" --cpu --quick --kernel "$K" > "$OUT/cpu-quick.jsonl" 2>> "$OUT/native.err"; echo "cpu rc=$?"
show "$OUT/quick.jsonl" "$OUT/cpu-quick.jsonl"
for rep in 1 2; do
  echo "== full $rep"
  timeout 240 "$BIN" --kernel "memcpy_d2d,gemm_fp32,gemm_tf32,$K" "$@" > "$OUT/native-$rep.jsonl" 2>> "$OUT/native.err"; echo "full rc=$?"
  show "$OUT/native-$rep.jsonl"
done
if [ -n "${NCU:-}" ] && command -v ncu >/dev/null; then  # one profiled launch of each kernel (clocks left alone)
  for k in mv_syrk_tc_kernel mv_chol_kernel; do
    timeout 120 ncu --clock-control none --kernel-name "regex:$k" --launch-count 1 --section SpeedOfLight --section Occupancy \
      --section LaunchStats "$BIN" --kernel "$K" --repeat 1 --warmup 0 > "$OUT/ncu-$k.txt" 2>&1; echo "ncu $k rc=$?"
    grep -E "Duration|Memory Throughput|DRAM Throughput|Compute \(SM\) Throughput|Achieved Occupancy|Theoretical Occupancy|Block Limit" "$OUT/ncu-$k.txt" | head -12
  done
fi
bench_stamp "after native"
bench_torch "memcpy_d2d,$K"
bench_stamp end
