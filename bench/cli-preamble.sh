# The preamble of the device scripts that run the built CLI (bench/verify_cli.sh, bench/diag_capture.sh); sourced:
#   . "$(dirname "$0")/cli-preamble.sh"
# Sets ROOT (the repository), enters OUT (required; made), puts the carried Node.js (.carry/node.xz) on PATH where
# the machine has none, and sets GPUCTL to the command that runs the built CLI's bundle.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:?set OUT to a folder for the results}
mkdir -p "$OUT"
cd "$OUT" || exit 1
if ! command -v node >/dev/null; then
  mkdir -p /tmp/node-bin && xz -dc "$ROOT/.carry/node.xz" > /tmp/node-bin/node && chmod +x /tmp/node-bin/node || exit 1
  export PATH=/tmp/node-bin:$PATH
fi
GPUCTL=("$(command -v node)" "$ROOT/bench/gpuctl-image.mjs")
