#!/usr/bin/env bash
# ./herald format [--check]: formats the Java sources of every module with Spotless (palantir-java-format,
# 120 columns), the same configuration `mvn verify` checks; --check only reports, like the build does.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check=false
case "${1:-}" in
  -h|--help)
    echo "Usage: ./herald format [--check]  (format the Java sources as mvn verify expects: Spotless with"
    echo "palantir-java-format; --check changes nothing and fails on unformatted code or a line over 120)"
    exit 0 ;;
  --check) check=true; [ $# -eq 1 ] || { echo "herald: format takes only --check; ./herald format --help" >&2; exit 2; } ;;
  "") ;;
  *) echo "herald: unknown format option '$1'; ./herald format --help" >&2; exit 2 ;;
esac
setup_java
if $check; then
  # The two checks mvn verify runs; the formatter wraps code but not string literals, text blocks or comments,
  # so a line over 120 can remain after formatting and is found by the second one.
  mvnw -q spotless:check checkstyle:check@line-length \
    || die "sources not as the build expects: ./herald format fixes the formatting, long strings are split by hand"
  echo "herald: formatting and line lengths are as mvn verify expects" >&2
else
  mvnw -q spotless:apply || die "formatting failed (see above)"
  echo "herald: formatted; lines still over 120 (string literals, text blocks): ./herald format --check" >&2
fi
