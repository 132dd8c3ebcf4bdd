#!/usr/bin/env bash
# ./herald build: rebuild the application image now (packaging/target/herald-VERSION/; normally
# automatic when sources changed).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-}" in
  -h|--help) echo "Usage: ./herald build  (rebuild the application image now; normally automatic when sources changed)"
             exit 0 ;;
  "") ;;
  *) echo "herald: build takes no arguments; ./herald build --help" >&2; exit 2 ;;
esac
setup_java
build
