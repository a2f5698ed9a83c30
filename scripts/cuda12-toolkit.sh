#!/usr/bin/env bash
# A CUDA 12.4 nvcc for checking that native/ still builds with CUDA 12 (issue 13), without installing
# anything: Debian trixie's non-free nvidia-cuda-toolkit (12.4.131), fetched with apt-get download through
# a private apt configuration (its own sources, lists and cache under DIR; the system's apt sources, lists
# and dpkg database are not read or touched), unpacked with dpkg-deb into DIR/root. Prints the nvcc path.
#
#   scripts/cuda12-toolkit.sh [DIR]     DIR: $GPUCTL_CUDA12_DIR, else ~/.cache/gpuctl/cuda12
#   make -C native NVCC="$(scripts/cuda12-toolkit.sh)" OUT=/tmp/b12
#   GPUCTL_NVCC12="$(scripts/cuda12-toolkit.sh)" npx vitest run test/e2e/bench-cuda12.slow.test.ts
#
# Needs apt-get, dpkg-deb, tar and Debian's archive keyring (/usr/share/keyrings/debian-archive-keyring.gpg,
# package debian-archive-keyring), and a host g++ 6-13 (CUDA 12.4's limit; Debian's wrapper beside nvcc picks
# the newest of g++-13 .. g++-6). Downloads about 1 GB once, keeps about 220 MB; a second run only prints the
# path. Installing the package instead (apt-get install) would pull trixie's libc into an older system.
set -euo pipefail

DIR=${1:-${GPUCTL_CUDA12_DIR:-$HOME/.cache/gpuctl/cuda12}}
ROOT=$DIR/root
NVCC=$ROOT/usr/lib/nvidia-cuda-toolkit/bin/nvcc
PACKAGES=(nvidia-cuda-toolkit nvidia-cuda-dev libcu++-dev)
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
say() { printf 'cuda12-toolkit: %s\n' "$*" >&2; }

if [ -x "$NVCC" ] && "$NVCC" --version >/dev/null 2>&1; then
  echo "$NVCC"
  exit 0
fi
for tool in apt-get dpkg-deb tar; do
  command -v "$tool" >/dev/null || { say "$tool is not on PATH (a Debian or Ubuntu system is needed)"; exit 3; }
done
[ -r "$KEYRING" ] || { say "$KEYRING is missing (apt-get install debian-archive-keyring)"; exit 3; }

APT=$DIR/apt
mkdir -p "$APT/sources.d" "$APT/preferences.d" "$APT/state/lists/partial" "$APT/cache/archives/partial" "$DIR/debs"
cat >"$APT/sources.d/trixie.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main non-free
Signed-By: $KEYRING
EOF
OPTS=(-o "Dir::Etc::sourcelist=/dev/null" -o "Dir::Etc::sourceparts=$APT/sources.d"
  -o "Dir::Etc::preferences=/dev/null" -o "Dir::Etc::preferencesparts=$APT/preferences.d"
  -o "Dir::State=$APT/state" -o "Dir::State::status=/dev/null" -o "Dir::Cache=$APT/cache"
  -o "APT::Sandbox::User=$(id -un)" -o "Debug::NoLocking=1")
say "reading trixie's package lists into $APT"
apt-get -q "${OPTS[@]}" update >&2
say "downloading ${PACKAGES[*]} into $DIR/debs"
(cd "$DIR/debs" && rm -f ./*.deb && apt-get -q "${OPTS[@]}" download "${PACKAGES[@]}" >&2)

# Only what nvcc needs: the compiler (no compute-sanitizer), the headers, the static runtime and the stubs.
TMP=$DIR/root.tmp
rm -rf "$TMP"
mkdir -p "$TMP"
say "unpacking into $ROOT"
dpkg-deb --fsys-tarfile "$DIR"/debs/nvidia-cuda-toolkit_*.deb |
  tar -x -C "$TMP" --exclude='./usr/lib/nvidia-cuda-toolkit/compute-sanitizer*' --exclude='./usr/share/*'
dpkg-deb --fsys-tarfile "$DIR"/debs/nvidia-cuda-dev_*.deb |
  tar -x -C "$TMP" --wildcards './usr/include/*' './usr/lib/x86_64-linux-gnu/libcudart_static.a' \
    './usr/lib/x86_64-linux-gnu/libcudadevrt.a' './usr/lib/x86_64-linux-gnu/libculibos.a' './usr/lib/x86_64-linux-gnu/stubs/*'
dpkg-deb --fsys-tarfile "$DIR"/debs/libcu++-dev_*.deb | tar -x -C "$TMP" --wildcards './usr/include/*' # <nv/target>

# Debian's nvcc.profile is a link to /etc/nvcc.profile with absolute paths; this one is relative to nvcc.
BIN=$TMP/usr/lib/nvidia-cuda-toolkit/bin
rm -f "$BIN/nvcc.profile"
cat >"$BIN/nvcc.profile" <<'EOF'
TOP                = $(_HERE_)/../../..
NVVMIR_LIBRARY_DIR = $(TOP)/lib/nvidia-cuda-toolkit/libdevice
PATH              += $(_HERE_):$(TOP)/bin:
INCLUDES          += "-I$(TOP)/include" $(_SPACE_)
LIBRARIES          =+ $(_SPACE_) "-L$(TOP)/lib/x86_64-linux-gnu/stubs" "-L$(TOP)/lib/x86_64-linux-gnu"
EOF
"$BIN/nvcc" --version >&2 || { say "the unpacked nvcc does not run"; exit 1; }
rm -rf "$ROOT"
mv "$TMP" "$ROOT"
rm -f "$DIR"/debs/*.deb
rm -rf "$APT/cache/archives"
echo "$NVCC"
