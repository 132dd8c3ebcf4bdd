#!/usr/bin/env bash
# ./herald dist: the tarball, the .deb, the .rpm (rpmbuild from Debian's `rpm`) and, as root or with
# --from, the api and pipeline container images, all into dist/.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

from_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from_args=(--from "${2:?--from needs an image}"); shift 2 ;;
    -h|--help) echo "Usage: ./herald dist [--from IMAGE]  (the tarball, .deb, .rpm and container images into dist/)"
               exit 0 ;;
    *) echo "herald: unknown dist option '$1'; ./herald dist --help" >&2; exit 2 ;;
  esac
done
setup_java
ensure_package rpmbuild rpm "rpmbuild, for the .rpm" || echo "herald: no .rpm: rpmbuild is missing (apt-get install rpm as root)" >&2
echo "herald: building the tarball, the .deb and the .rpm (log: $BUILD_LOG)" >&2
mkdir -p "$(dirname "$BUILD_LOG")"
if ! mvnw -DskipTests package >"$BUILD_LOG" 2>&1; then
  grep -E '^\[ERROR\]' "$BUILD_LOG" | head -20 >&2 || true
  die "build failed; the whole log is in $BUILD_LOG"
fi
rm -rf "$ROOT/dist" && mkdir -p "$ROOT/dist"
t="$ROOT/packaging/target"
cp "$t/herald-$VERSION-linux-x64.tar.gz" "$t"/herald_*_amd64.deb "$ROOT/dist/"
if compgen -G "$t/rpm/herald/RPMS/x86_64/*.rpm" >/dev/null; then cp "$t"/rpm/herald/RPMS/x86_64/*.rpm "$ROOT/dist/"; fi
if [ ${#from_args[@]} -gt 0 ] || [ "$(id -u)" -eq 0 ]; then
  "$ROOT/dev/images.sh" "${from_args[@]}"
  cp "$ROOT/infra/target/images/herald-api.tar" "$ROOT/infra/target/images/herald-pipeline.tar" "$ROOT/dist/"
else
  echo "herald: no container images: their default base is assembled with debootstrap (root); or give --from" >&2
fi
echo "herald: dist/:" >&2
(cd "$ROOT/dist" && ls -l) >&2
