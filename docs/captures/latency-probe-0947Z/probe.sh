#!/usr/bin/env bash
# Where does the 1-asset graph request's p99 go? Host-only spin probe + interrupt counts + the request 3 times.
set -o pipefail
cd "$(dirname "$0")/.."
gcc -O2 -o /tmp/tickprobe .carry-tick/tickprobe.c
{
  date -u +%FT%TZ; uname -r; nproc; cat /proc/cmdline; cat /sys/devices/system/clocksource/clocksource0/current_clocksource
  (zcat /proc/config.gz 2>/dev/null || cat /boot/config-$(uname -r) 2>/dev/null) | grep -E '^CONFIG_(HZ|NO_HZ|PREEMPT)' 
  cat /sys/devices/system/cpu/nohz_full 2>/dev/null; cat /sys/devices/system/cpu/isolated 2>/dev/null
  nvidia-smi --query-gpu=name,driver_version,clocks.sm,persistence_mode --format=csv,noheader
} > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"
irq() { awk 'NR==1 || /LOC|CAL|TLB|RES|NMI|PMI|IWI|HYP|nvidia/' /proc/interrupts; }
stat15() { grep -E '^cpu15 ' /proc/stat; }
{ echo "== idle before"; irq; stat15; } > "$OUT/irq.txt"
for c in 15 8 0; do /tmp/tickprobe $c 2; done | tee "$OUT/tickprobe.txt"
{ echo "== after probes"; irq; stat15; } >> "$OUT/irq.txt"
sleep 2
{ echo "== after 2 s idle"; irq; stat15; } >> "$OUT/irq.txt"
REPS=3 OUT=$OUT/tail bash bench/latency_tail.sh default:X=1 2>&1 | tail -8
{ echo "== after latency"; irq; stat15; } >> "$OUT/irq.txt"
# the probe on CPU 15 while the request runs pinned to CPU 14 (does the GPU side add anything to CPU 15?)
GPUCTL_BENCH_LAT_PIN=14 native/build/gpuctl-bench --kernel lat_ind_1x1024_graph > "$OUT/pin14.jsonl" 2>/dev/null & P=$!
sleep 0.3; /tmp/tickprobe 15 1 | tee -a "$OUT/tickprobe.txt"; wait $P
python3 - "$OUT" <<'PY'
import json, sys, glob, itertools, statistics
out = sys.argv[1]
for f in sorted(glob.glob(out + '/tail/tail-*.jsonl')) + [out + '/pin14.jsonl']:
    for ln in open(f):
        o = json.loads(ln)
        if o.get('type') != 'result': continue
        s = o.get('samplesMs') or []
        e = o.get('extra', {})
        print(f.split('/')[-1], o['name'], 'p50', e.get('p50Us'), 'p99', e.get('p99Us'), 'p99.9', e.get('p999Us'), 'n', len(s))
PY
cd "$OUT" && tar czf /tmp/p.tgz . && rm -rf ./* && mv /tmp/p.tgz .
