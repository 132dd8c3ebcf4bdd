#!/usr/bin/env bash
# ./herald images: Jib builds the cli module into one image per service (api, pipeline), as tarballs in
# infra/target/images; the default base is assembled from Debian's packages with debootstrap (root).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
JIB_PLUGIN="com.google.cloud.tools:jib-maven-plugin:3.5.1"

from="" tag="0.1.0" check=false
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from="${2:?--from needs an image}"; shift 2 ;;
    --tag) tag="${2:?--tag needs a tag}"; shift 2 ;;
    --check) check=true; shift ;;
    -h|--help) echo "Usage: ./herald images [--from IMAGE] [--tag TAG] [--check]  (docs/deploy.md)"; exit 0 ;;
    *) echo "herald: unknown images option '$1'; ./herald images --help" >&2; exit 2 ;;
  esac
done
setup_java
out="$ROOT/infra/target/images"
mkdir -p "$out"
if [ -z "$from" ]; then
  base="$ROOT/infra/target/base/herald-base.tar"
  if [ ! -f "$base" ]; then
    ensure_package debootstrap debootstrap "the container images' base" || die "debootstrap is missing (apt-get install debootstrap)"
    echo "herald: assembling the base image from Debian packages (debootstrap; about a minute)..." >&2
    "$ROOT/infra/images/build-base.sh" "$base" >&2 || die "the base image could not be assembled"
  fi
  from="tar://$base"
fi
for service in api pipeline; do
  case "$service" in api) port=8080 ;; pipeline) port=9091 ;; esac
  echo "herald: building infra/target/images/herald-$service.tar from $from" >&2
  if ! mvnw -pl cli -am -DskipTests package "$JIB_PLUGIN:buildTar" \
      -Djib.containerize=io.herald:herald-cli \
      -Djib.from.image="$from" \
      -Djib.to.image="herald/$service:$tag" \
      -Djib.outputPaths.tar="$out/herald-$service.tar" \
      -Djib.container.mainClass=io.herald.cli.Herald \
      -Djib.container.args="$service" \
      -Djib.container.user=10001:10001 \
      -Djib.container.ports="$port" \
      -Djib.container.labels="org.opencontainers.image.title=herald-$service,org.opencontainers.image.version=$tag" \
      -Djib.extraDirectories.paths="$ROOT/infra/src/main/jib" \
      -Djib.extraDirectories.permissions=/opt/herald/bin/healthcheck=755 \
      >"$out/jib-$service.log" 2>&1; then
    grep -E '^\[ERROR\]' "$out/jib-$service.log" | head -20 >&2 || true
    die "image build failed; the whole log is in $out/jib-$service.log"
  fi
done
echo "herald: images in $out: herald-api.tar, herald-pipeline.tar" >&2
if $check; then
  for service in api pipeline; do "$ROOT/infra/images/check-image.sh" "$out/herald-$service.tar" "$service"; done
fi
