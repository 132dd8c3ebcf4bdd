#!/usr/bin/env bash
# Checks an image tarball built by `./herald images`, without a container runtime:
#   1. its config runs Herald's entrypoint (java ... io.herald.cli.Herald SERVICE) as a non-root user;
#   2. its layers hold the application, the health-check script and that user, and no embedded-engine jars;
#   3. the entrypoint's java starts inside the unpacked root filesystem (chroot in a private mount
#      namespace, as the image's user) and prints Herald's version and configuration;
#   4. the health-check script, run inside it, tells an answering port from a closed one (loopback).
#
#   infra/images/check-image.sh IMAGE.tar SERVICE        (SERVICE: api or pipeline)
#
# Needs root (chroot, unshare, mount) and python3 (JSON). Prints one line per check; exit 1 on failure.
set -euo pipefail

IMAGE=${1:?usage: check-image.sh IMAGE.tar SERVICE}
SERVICE=${2:?usage: check-image.sh IMAGE.tar SERVICE}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/herald-image-check.XXXXXX")
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

tar -xf "$IMAGE" -C "$WORK" manifest.json
CONFIG=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Config"])' "$WORK/manifest.json")
tar -xf "$IMAGE" -C "$WORK" "$CONFIG"
field() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["config"].get(sys.argv[2])))' "$WORK/$CONFIG" "$1"; }

USER_SPEC=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"].get("User") or "")' "$WORK/$CONFIG")
case "$USER_SPEC" in
  ""|0|0:*|root|root:*) fail "image user is '$USER_SPEC' (root)";;
  *) pass "image user $USER_SPEC is not root";;
esac
ENTRYPOINT=$(field Entrypoint)
if [[ "$ENTRYPOINT" == '["java", '*'"io.herald.cli.Herald"]' ]]; then pass "entrypoint $ENTRYPOINT"; else fail "entrypoint $ENTRYPOINT"; fi
CMD=$(field Cmd)
if [ "$CMD" = "[\"$SERVICE\"]" ]; then pass "command $CMD"; else fail "command $CMD, expected [\"$SERVICE\"]"; fi

# Unpack the layers in order (Jib writes gzipped layers; the base layer may be plain).
ROOTFS="$WORK/rootfs"
mkdir -p "$ROOTFS"
python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$WORK/manifest.json" |
  while read -r layer; do
    tar -xf "$IMAGE" -O "$layer" | { if [[ "$layer" == *.gz ]]; then gzip -dc; else cat; fi; } |
      tar -x --warning=no-unknown-keyword --numeric-owner -C "$ROOTFS"
  done

for file in app/classes/io/herald/cli/Herald.class app/jib-classpath-file; do
  if [ -f "$ROOTFS/$file" ]; then pass "holds /$file"; else fail "missing /$file"; fi
done
if ls "$ROOTFS"/app/libs/herald-core-*.jar >/dev/null 2>&1; then pass "holds /app/libs/herald-core-*.jar"; else fail "missing herald-core jar"; fi
# Only what runs ships: the embedded engines (herald local/serve only) stay out of the service images.
EMBEDDED=$(cd "$ROOTFS/app/libs" && ls | grep -iE '^(herald-embedded|elasticmq|DynamoDBLocal|pekko|scala|sqlite4java|libsqlite4java)' \
  | tr '\n' ' ' || true)
if [ -z "$EMBEDDED" ]; then pass "no embedded-engine jars (ElasticMQ, DynamoDB Local, Pekko, Scala, sqlite4java)"
else fail "embedded-engine jars in /app/libs: $EMBEDDED"; fi
if [ -x "$ROOTFS/opt/herald/bin/healthcheck" ]; then pass "holds executable /opt/herald/bin/healthcheck"; else fail "missing /opt/herald/bin/healthcheck"; fi
UID_ONLY=${USER_SPEC%%:*}
if awk -F: -v u="$UID_ONLY" '$3 == u || $1 == u {found=1} END {exit !found}' "$ROOTFS/etc/passwd"; then
  pass "user $UID_ONLY is in /etc/passwd"
else
  fail "user $UID_ONLY not in /etc/passwd"
fi

# Run the entrypoint as the image would: its environment, working directory and user, in the rootfs.
ENV_ARGS=$(python3 -c 'import json,sys,shlex; print(" ".join(shlex.quote(e) for e in json.load(open(sys.argv[1]))["config"].get("Env", [])))' "$WORK/$CONFIG")
WORKDIR=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"].get("WorkingDir") or "/")' "$WORK/$CONFIG")
ENTRY_ARGS=$(python3 -c 'import json,sys,shlex; print(" ".join(shlex.quote(a) for a in json.load(open(sys.argv[1]))["config"]["Entrypoint"]))' "$WORK/$CONFIG")
in_image() {
  # A private mount namespace: /proc (java's $ORIGIN lookup) and /dev (/dev/null), as a container
  # runtime would provide them, vanish with it.
  unshare --mount --fork /bin/sh -c "mount -t proc proc '$ROOTFS/proc' && mount --rbind /dev '$ROOTFS/dev' && exec chroot --userspec='$USER_SPEC' '$ROOTFS' \
    /usr/bin/env -i $ENV_ARGS HOME=/home/herald /bin/sh -c 'cd $WORKDIR && exec \"\$@\"' sh $*"
}
if out=$(in_image "$ENTRY_ARGS" --version 2>&1) && [ -n "$out" ]; then
  pass "entrypoint starts in the image: $(echo "$out" | head -1)"
else
  fail "entrypoint did not start: $out"
fi
if out=$(in_image "$ENTRY_ARGS" config 2>&1) && echo "$out" | grep -q 'queues'; then
  pass "herald config loads and prints the configuration inside the image"
else
  fail "herald config inside the image: $(echo "$out" | tail -3)"
fi

# The health check against a loopback port that answers, then against one that does not.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
mkdir -p "$WORK/www/status"
echo '{}' >"$WORK/www/status/index.html"
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$WORK/www" >/dev/null 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
if out=$(in_image /opt/herald/bin/healthcheck "$PORT" /status/ 2>&1); then pass "healthcheck: healthy port answers 0"; else fail "healthcheck against an answering port: $out"; fi
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
if in_image /opt/herald/bin/healthcheck "$PORT" /status/ >/dev/null 2>&1; then fail "healthcheck passed on a closed port"; else pass "healthcheck: closed port answers non-zero"; fi

if [ "$failures" -gt 0 ]; then echo "check-image.sh: $IMAGE: $failures check(s) failed"; exit 1; fi
echo "check-image.sh: $IMAGE: every check passed"
