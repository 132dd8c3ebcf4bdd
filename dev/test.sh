#!/usr/bin/env bash
# ./herald test [MAVEN OPTIONS]: every test — `mvn verify` (the package installation and a real Slurm
# included; both install Debian packages as root) and, as root, the container images built and checked.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-}" in
  -h|--help) echo "Usage: ./herald test [MAVEN OPTIONS]  (every test: mvn verify, then the container images as root)"
             exit 0 ;;
esac
setup_java
echo "herald: running every test with $("$JAVA" -version 2>&1 | head -1)" >&2
ensure_package rpmbuild rpm "rpmbuild, for the .rpm" || echo "herald: no .rpm: rpmbuild is missing (apt-get install rpm as root)" >&2
# The packaging module's PackageInstallIT installs the .deb here (as root) and purges it again.
mvnw "$@" verify
# The container images are part of "every test": built with Jib on a base assembled from Debian's
# packages and checked inside their unpacked root filesystem (~80 s). Assembling the base needs root.
if [ "$(id -u)" -eq 0 ]; then
  "$ROOT/dev/images.sh" --check
else
  echo "herald: container images not checked: assembling their base image needs root" >&2
fi
