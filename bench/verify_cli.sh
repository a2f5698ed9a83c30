#!/usr/bin/env bash
# Issue 21 end to end through the built CLI on the GPU machine (docs/benchmarks.md, "Issue 21 in one call"): detect,
# bench finance+memory and latency, the PyTorch comparison on the finance report, diag quick, monitor --once, and the
# agent scraped once. One device call, about 160 s on an H200.
#   here:   npm run build && ../shared/tools/device-pack-node.sh        (.carry/node.xz: the GPU machine has no Node.js)
#   there:  the device tool with carry [".carry", "dist"] and the command
#           OUT=/tmp/v bash bench/verify_cli.sh; cp /tmp/v/verify.tgz $OUT/
#           (the device tool brings back only a few files of $OUT: bring the archive, not the folder)
# Results under $OUT, also as $OUT/verify.tgz; latency.json keeps its figures but not the 10,000 samples a request
# (samplesMs), as the captures under docs/captures/lead-verify-* do.
set -uo pipefail
. "$(dirname "$0")/cli-preamble.sh"
[ -f "$ROOT/dist/image/cli.js" ] || { echo "dist/image/cli.js is missing: npm run build here, and carry dist" >&2; exit 2; }
# name, then the command; its stdout to NAME.txt (or the file it writes), stderr to NAME.err, the exit code to steps.txt.
step() {
  local name=$1 started=$SECONDS rc
  shift
  echo "== $name: ${*/#$ROOT\//}"
  "$@" > "$name.txt" 2> "$name.err"
  rc=$?
  echo "$name rc=$rc ($((SECONDS - started)) s)" | tee -a steps.txt
}
{
  date -u +%FT%TZ
  node --version
  nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,power.draw,temperature.gpu --format=csv,noheader
  nvcc --version | tail -2
  python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda)"
  "${GPUCTL[@]}" --version
} > env.txt 2>&1
cat env.txt
step detect "${GPUCTL[@]}" detect --json
step finance "${GPUCTL[@]}" bench --suite finance,memory --out "$OUT/finance.json"
step latency "${GPUCTL[@]}" bench --suite latency --out "$OUT/latency.json"
step torch python3 "$ROOT/bench/torch_compare.py" --gpuctl-json finance.json --json-out compare.json --md-out compare.md
step diag "${GPUCTL[@]}" diag --level quick --json
step monitor "${GPUCTL[@]}" monitor --once
# The agent: serve, scrape /metrics and /gpu-health once it answers, then Ctrl-C (SIGINT: exit 130 is its clean stop).
"${GPUCTL[@]}" agent --listen 127.0.0.1:9400 --interval 1s > agent.out 2> agent.err &
agent=$!
python3 - <<'PY' 2>&1 | tee -a steps.txt
import time, urllib.request, urllib.error
def get(path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:9400{path}", timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
for _ in range(100):
    try:
        status, body = get("/metrics")
        break
    except OSError:
        time.sleep(0.2)
else:
    raise SystemExit("agent: /metrics never answered")
time.sleep(2.5)  # two samples at --interval 1s
status, body = get("/metrics"); open("agent-metrics.txt", "w").write(body)
health, text = get("/gpu-health"); open("agent-gpu-health.txt", "w").write(text)
print(f"agent /metrics {status}, /gpu-health {health}")
PY
kill -INT "$agent"
wait "$agent"
echo "agent rc=$? (130: stopped by SIGINT)" | tee -a steps.txt
# The per-request samples (10,000 a latency row) make that report tens of MB: keep every figure, drop them (finance.json
# keeps its 20 a kernel: it can serve as a --baseline).
python3 - <<'PY'
import json
for name in ("latency.json",):
    try:
        report = json.load(open(name))
    except (OSError, ValueError):
        continue
    for result in report.get("results", []):
        result.pop("samplesMs", None)
    json.dump(report, open(name, "w"), indent=2)
PY
tar czf verify.tgz --exclude=verify.tgz . 2>/dev/null
echo "== done: $OUT/verify.tgz"
cat steps.txt
