#!/usr/bin/env bash
# Assembles Herald's runtime base image from Debian's packages, with no container registry and no
# Docker daemon: debootstrap --variant=minbase plus a headless JRE 21, a non-root user `herald`
# (uid/gid 10001), saved as a one-layer `docker save` tarball that Jib reads with tar://.
#
#   infra/images/build-base.sh OUT.tar
#
# Needs root (debootstrap, chown) and Debian's debootstrap package; downloads ~70 MB of .debs from
# the mirror. Production images use a public Java runtime image instead (docs/deploy.md).
set -euo pipefail

OUT=${1:?usage: build-base.sh OUT.tar}
SUITE=${HERALD_BASE_SUITE:-trixie}           # Debian 13: its openjdk-21 runs Java 21 bytecode
MIRROR=${HERALD_BASE_MIRROR:-http://deb.debian.org/debian}
JRE=${HERALD_BASE_JRE:-openjdk-21-jre-headless}
UID_GID=10001

[ "$(id -u)" -eq 0 ] || { echo "build-base.sh: needs root (debootstrap)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "build-base.sh: debootstrap missing (apt-get install debootstrap)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/herald-base.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ROOTFS="$WORK/rootfs"

debootstrap --variant=minbase --include="$JRE" "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || {
  tail -20 "$WORK/debootstrap.log" >&2; exit 1; }

# The user the services run as: never root inside the container.
echo "herald:x:$UID_GID:$UID_GID:Herald:/home/herald:/usr/sbin/nologin" >>"$ROOTFS/etc/passwd"
echo "herald:x:$UID_GID:" >>"$ROOTFS/etc/group"
echo "herald:!:20000::::::" >>"$ROOTFS/etc/shadow"
install -d -o "$UID_GID" -g "$UID_GID" -m 0750 "$ROOTFS/home/herald"

# What a runtime image does not need: downloaded packages, package lists, documentation.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* \
  "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
  "$ROOTFS"/var/log/* "$ROOTFS"/tmp/* "$ROOTFS"/dev/*

JAVA_HOME_IN_IMAGE=$(cd "$ROOTFS" && readlink "etc/alternatives/java" | sed 's|/bin/java$||')
# A fixed file time and sorted names, so the same packages give the same layer.
tar --sort=name --mtime='2000-01-01 00:00:00Z' --numeric-owner -C "$ROOTFS" -cf "$WORK/layer.tar" .
LAYER_SHA=$(sha256sum "$WORK/layer.tar" | cut -d' ' -f1)
mkdir -p "$WORK/image/$LAYER_SHA"
mv "$WORK/layer.tar" "$WORK/image/$LAYER_SHA/layer.tar"

CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cat >"$WORK/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"$CREATED",
 "config":{"User":"$UID_GID:$UID_GID","WorkingDir":"/home/herald",
   "Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$JAVA_HOME_IN_IMAGE","LANG=C.UTF-8"],
   "Cmd":["/bin/bash"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$LAYER_SHA"]},
 "history":[{"created":"$CREATED","created_by":"debootstrap --variant=minbase --include=$JRE $SUITE; user herald ($UID_GID)"}]}
JSON
CONFIG_SHA=$(sha256sum "$WORK/config.json" | cut -d' ' -f1)
mv "$WORK/config.json" "$WORK/image/$CONFIG_SHA.json"
cat >"$WORK/image/manifest.json" <<JSON
[{"Config":"$CONFIG_SHA.json","RepoTags":["herald-base:$SUITE"],"Layers":["$LAYER_SHA/layer.tar"]}]
JSON

mkdir -p "$(dirname "$OUT")"
tar -C "$WORK/image" -cf "$OUT.tmp" manifest.json "$CONFIG_SHA.json" "$LAYER_SHA/layer.tar"
mv "$OUT.tmp" "$OUT"
echo "build-base.sh: $OUT ($(du -h "$OUT" | cut -f1), $SUITE + $JRE, java at $JAVA_HOME_IN_IMAGE)"
