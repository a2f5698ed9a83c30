#!/usr/bin/env bash
# Copies native/ (sources + the built single-arch binary) and bench/ into the lead checkout's ignored
# .bench-carry/ folder, which the device tool carries to the GPU machine.
set -e
SRC=$(cd "$(dirname "$0")/.." && pwd)
DST=${1:-/work/main/.bench-carry}
rm -rf "$DST"
mkdir -p "$DST/native/build"
cp -r "$SRC/native/src" "$SRC/native/Makefile" "$SRC/native/PROTOCOL.md" "$DST/native/"
cp "$SRC/native/build/gpuctl-bench" "$DST/native/build/"
[ -x "$SRC/native/build/gpuctl-bench-fat" ] && cp "$SRC/native/build/gpuctl-bench-fat" "$DST/native/build/"
cp -r "$SRC/bench" "$DST/"
du -sh "$DST"
