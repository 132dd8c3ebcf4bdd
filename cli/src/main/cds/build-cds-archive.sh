#!/bin/sh
# Builds Herald's class-data-sharing (AppCDS) archive for a classpath, at package time.
# Usage: build-cds-archive.sh [--java JAVA] [--options FILE] --classpath CP --out ARCHIVE
# Then run every short command with: java [@FILE] -XX:SharedArchiveFile=ARCHIVE -cp CP io.herald.cli.Herald ...
#
# Static AppCDS (a class list from one training run, then -Xshare:dump), not -XX:ArchiveClassesAtExit:
# the dynamic archive skips classes of old class-file versions once linked, and picocli is one of them
# (the static dump keeps them as long as nothing links them while dumping: see CdsClassList below).
# CP must be the production classpath exactly as bin/herald passes it (same jars, same order, no
# directories, no wildcard: the JVM refuses an archive whose classpath differs and then runs without
# it). The ElasticMQ/DynamoDB Local jars (lib/embedded) must not be in it. FILE: the JVM options file the
# commands run with (the image's runtime/herald.options): the module options in it (--enable-native-access)
# must be the dump's too, or the JVM drops the archived module graph at every start ("Disabling optimized
# module handling", ~20 ms). Exit 0 done, 1 failed, 2 usage.
set -eu

usage() {
  sed -n '2,14s/^# \{0,1\}//p' "$0"
}

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
classpath=""
out=""
options=""
while [ $# -gt 0 ]; do
  case "$1" in
    --java) [ $# -ge 2 ] || { echo "build-cds-archive: --java needs a path" >&2; exit 2; }; java="$2"; shift 2 ;;
    --classpath) [ $# -ge 2 ] || { echo "build-cds-archive: --classpath needs a value" >&2; exit 2; }
      classpath="$2"; shift 2 ;;
    --options) [ $# -ge 2 ] && [ -f "$2" ] || { echo "build-cds-archive: --options needs a file" >&2; exit 2; }
      options="@$2"; shift 2 ;;
    --out) [ $# -ge 2 ] || { echo "build-cds-archive: --out needs a file" >&2; exit 2; }; out="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "build-cds-archive: unknown argument '$1'; --help shows the usage" >&2; exit 2 ;;
  esac
done
[ -n "$classpath" ] && [ -n "$out" ] || { echo "build-cds-archive: --classpath and --out are required" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/herald-cds.XXXXXX")
trap 'rm -rf "$work"' EXIT

# -Xshare:off: the list must name every class the commands load, also those the JDK's own archive holds.
# shellcheck disable=SC2086 # $options is empty or one @file
if ! "$java" $options -Xshare:off -XX:DumpLoadedClassList="$work/classes.lst" -cp "$classpath" \
    io.herald.cli.CdsTraining >"$work/training.log" 2>&1; then
  echo "build-cds-archive: the training run failed: $(tail -n 1 "$work/training.log")" >&2
  exit 1
fi
# Without the lines that would link classes compiled for Java 5 (picocli): JDK 25 leaves linked old classes
# out of the archive, so each command loaded ~190 picocli classes from the jar (io.herald.cli.CdsClassList).
# shellcheck disable=SC2086
if ! "$java" $options -cp "$classpath" io.herald.cli.CdsClassList "$work/classes.lst" "$work/dump.lst" \
    >"$work/filter.log" 2>&1; then
  echo "build-cds-archive: the class list could not be prepared: $(tail -n 1 "$work/filter.log")" >&2
  exit 1
fi
# shellcheck disable=SC2086
if ! "$java" $options -Xshare:dump -XX:SharedClassListFile="$work/dump.lst" -XX:SharedArchiveFile="$out.tmp" \
    -cp "$classpath" >"$work/dump.log" 2>&1; then
  echo "build-cds-archive: the dump failed: $(grep -m 1 -i 'error' "$work/dump.log" || tail -n 1 "$work/dump.log")" >&2
  rm -f "$out.tmp"
  exit 1
fi
mv "$out.tmp" "$out"
echo "build-cds-archive: $out ($(wc -l <"$work/classes.lst") classes listed)"
