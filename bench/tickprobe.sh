#!/usr/bin/env bash
# Issue 21, the GPU latency tail: is the host (the VM) taking time from a busy, pinned thread? Builds
# bench/tickprobe.c, writes the kernel's timer settings (CONFIG_HZ, NO_HZ, nohz_full, isolated CPUs) and the
# interrupt counts before and after, and runs the probe SECS seconds (default 2) on the last CPU, a middle one
# and CPU 0. A 1 ms spacing of the gaps with a 250 Hz guest tick means the stalls are not the guest's tick.
#   OUT=/tmp/out bench/tickprobe.sh [SECS]
set -o pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/tail-out}
mkdir -p "$OUT"
cc -O2 -o "$OUT/tickprobe" "$ROOT/bench/tickprobe.c" || exit 1
{
  date -u +%FT%TZ; uname -r; nproc; cat /sys/devices/system/clocksource/clocksource0/current_clocksource
  (zcat /proc/config.gz 2>/dev/null || cat "/boot/config-$(uname -r)" 2>/dev/null) | grep -E '^CONFIG_(HZ|NO_HZ|PREEMPT)'
  echo "nohz_full: $(cat /sys/devices/system/cpu/nohz_full 2>/dev/null)  isolated: $(cat /sys/devices/system/cpu/isolated 2>/dev/null)"
} > "$OUT/tick-env.txt" 2>&1
irq() { awk 'NR==1 || /LOC|CAL|TLB|RES|NMI|nvidia/' /proc/interrupts; }
LAST=$(($(nproc) - 1))
{ echo "== before $(date -u +%T.%N)"; irq; } > "$OUT/tick-irq.txt"
for c in "$LAST" $((LAST / 2)) 0; do "$OUT/tickprobe" "$c" "${1:-2}"; done | tee "$OUT/tickprobe.txt"
{ echo "== after $(date -u +%T.%N)"; irq; } >> "$OUT/tick-irq.txt"
rm -f "$OUT/tickprobe"
