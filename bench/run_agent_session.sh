#!/usr/bin/env bash
# The single-GPU device session of issues 8, 12 and 9 (the H100/H200 single-GPU table), in one call:
# `gpuctl agent` sampling the real GPU while `gpuctl bench` loads it, its /metrics and /gpu-health next to
# nvidia-smi read at the same moment, `gpuctl monitor --once`, `gpuctl init --for-local-gpu --dry-run`,
# `gpuctl loadtest` against the agent, and the agent's autocannon load test (npm run bench:agent's script)
# on an idle 16-core host. Run from a folder holding bin/, dist/, node_modules/, native/, test/ and
# scripts/, with `node` on PATH and OUT set. Writes at most 8 files under $OUT.
set -o pipefail
export NO_COLOR=1 NCCL_NVLS_ENABLE=0
g() { node bin/gpuctl.js "$@"; }
smi() { nvidia-smi --query-gpu=timestamp,index,name,utilization.gpu,utilization.memory,memory.used,temperature.gpu,power.draw,clocks.sm,clocks.mem --format=csv,noheader; }
L=$OUT/log.txt
{
  echo "== $(date -u +%FT%TZ)"; nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,clocks.max.sm,clocks.max.mem --format=csv
  node --version; nproc; nvcc --version | tail -2
  echo "== gpuctl detect"; g detect
} > "$OUT/env.txt" 2>&1

g bench --build-only >> "$L" 2>&1; echo "build rc=$?" >> "$L"
g agent --listen 127.0.0.1:9400 --interval 1s >> "$L" 2>&1 &
AGENT=$!
sleep 3
# The whole suite at full sizes: the single-GPU table, and the load the agent reports.
g bench --out "$OUT/bench.json" > "$OUT/bench.txt" 2>> "$L" &
BENCH=$!
S=$OUT/agent-under-load.txt
: > "$S"
for i in $(seq 1 90); do
  kill -0 $BENCH 2>/dev/null || break
  {
    echo "=== sample $i $(date -u +%T.%N)"
    echo "--- nvidia-smi"; smi
    echo "--- agent /metrics (GPU series)"
    node -e 'fetch("http://127.0.0.1:9400/metrics").then(r=>r.text()).then(t=>process.stdout.write(t.split("\n").filter(l=>/^DCGM_FI_DEV_(GPU_UTIL|MEM_COPY_UTIL|FB_USED|GPU_TEMP|POWER_USAGE|SM_CLOCK)\{/.test(l)).join("\n")+"\n"))'
    echo "--- agent /gpu-health"
    node -e 'fetch("http://127.0.0.1:9400/gpu-health").then(async r=>console.log(r.status, await r.text()))'
  } >> "$S" 2>&1
  if [ $((i % 10)) = 5 ]; then echo "--- gpuctl monitor --once" >> "$S"; g monitor --once >> "$S" 2>&1; fi
  sleep 2
done
wait $BENCH; echo "bench rc=$?" >> "$L"
{
  echo "=== after the bench"; smi
  node -e 'fetch("http://127.0.0.1:9400/metrics").then(r=>r.text()).then(t=>process.stdout.write(t))'
  echo "--- /gpu-health"; node -e 'fetch("http://127.0.0.1:9400/gpu-health").then(async r=>console.log(r.status, await r.text()))'
  echo "--- gpuctl monitor --once"; g monitor --once
} > "$OUT/agent-metrics.txt" 2>&1
{
  echo "=== gpuctl loadtest http://127.0.0.1:9400/metrics --duration 20s --rate 500"
  g loadtest http://127.0.0.1:9400/metrics --duration 20s --rate 500
  echo "=== gpuctl loadtest http://127.0.0.1:9400/gpu-health --duration 20s --rate 500"
  g loadtest http://127.0.0.1:9400/gpu-health --duration 20s --rate 500
  echo "=== --json"; g loadtest http://127.0.0.1:9400/metrics --duration 10s --rate 500 --json
} > "$OUT/loadtest.txt" 2>&1
kill -TERM $AGENT; wait $AGENT; echo "agent rc=$?" >> "$L"
{
  D=$(mktemp -d); cd "$D" && echo "=== gpuctl init --for-local-gpu --dry-run --yes (in $D)" && node "$OLDPWD/bin/gpuctl.js" init --for-local-gpu --dry-run --yes --app quant-signals; cd "$OLDPWD"
  echo "=== npm run bench:agent's script (fake nvidia-smi replaying 8 x H100 SXM, 100,000 requests)"
  timeout 240 node scripts/agent-loadtest.mjs
} > "$OUT/init-and-agent-loadtest.txt" 2>&1
echo "== end $(date -u +%T)" >> "$L"
