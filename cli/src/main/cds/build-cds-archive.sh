#!/bin/sh
# Builds Herald's class-data-sharing (AppCDS) archive for a classpath, at package time.
# Usage: build-cds-archive.sh [--java JAVA] --classpath CP --out ARCHIVE
# Then run every short command with: java -XX:SharedArchiveFile=ARCHIVE -cp CP io.herald.cli.Herald ...
#
# Static AppCDS (a class list from one training run, then -Xshare:dump), not -XX:ArchiveClassesAtExit:
# the dynamic archive skips classes of old class-file versions once linked, and picocli is one of them.
# CP must be the production classpath exactly as bin/herald passes it (same jars, same order, no
# directories, no wildcard: the JVM refuses an archive whose classpath differs and then runs without
# it). The ElasticMQ/DynamoDB Local jars (lib/embedded) must not be in it. Exit 0 done, 1 failed, 2 usage.
set -eu

usage() {
  sed -n '2,10s/^# \{0,1\}//p' "$0"
}

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
classpath=""
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --java) [ $# -ge 2 ] || { echo "build-cds-archive: --java needs a path" >&2; exit 2; }; java="$2"; shift 2 ;;
    --classpath) [ $# -ge 2 ] || { echo "build-cds-archive: --classpath needs a value" >&2; exit 2; }
      classpath="$2"; shift 2 ;;
    --out) [ $# -ge 2 ] || { echo "build-cds-archive: --out needs a file" >&2; exit 2; }; out="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "build-cds-archive: unknown argument '$1'; --help shows the usage" >&2; exit 2 ;;
  esac
done
[ -n "$classpath" ] && [ -n "$out" ] || { echo "build-cds-archive: --classpath and --out are required" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/herald-cds.XXXXXX")
trap 'rm -rf "$work"' EXIT

# -Xshare:off: the list must name every class the commands load, also those the JDK's own archive holds.
if ! "$java" -Xshare:off -XX:DumpLoadedClassList="$work/classes.lst" -cp "$classpath" io.herald.cli.CdsTraining \
    >"$work/training.log" 2>&1; then
  echo "build-cds-archive: the training run failed: $(tail -n 1 "$work/training.log")" >&2
  exit 1
fi
if ! "$java" -Xshare:dump -XX:SharedClassListFile="$work/classes.lst" -XX:SharedArchiveFile="$out.tmp" \
    -cp "$classpath" >"$work/dump.log" 2>&1; then
  echo "build-cds-archive: the dump failed: $(grep -m 1 -i 'error' "$work/dump.log" || tail -n 1 "$work/dump.log")" >&2
  rm -f "$out.tmp"
  exit 1
fi
mv "$out.tmp" "$out"
echo "build-cds-archive: $out ($(wc -l <"$work/classes.lst") classes listed)"
