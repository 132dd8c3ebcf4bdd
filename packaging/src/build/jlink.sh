#!/bin/sh
# Usage: jlink.sh JDK_HOME OUTPUT_DIR MODULES
# Links the Java runtime Herald ships (only MODULES, no debug symbols, man pages or headers) into
# OUTPUT_DIR. jlink takes ~20 s, so a runtime already linked from the same JDK with the same
# modules is kept: rebuilding the application alone does not relink.
set -eu
jdk=$1 out=$2 modules=$3
stamp="layout 2 $("$jdk/bin/java" -version 2>&1 | head -1) $modules"
if [ -f "$out/herald-runtime.stamp" ] && [ "$(cat "$out/herald-runtime.stamp")" = "$stamp" ]; then
	exit 0
fi
rm -rf "$out"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
	--output "$out"
# Class-data sharing for the JDK's own classes: the runtime's start-up does not pay for loading them.
"$out/bin/java" -Xshare:dump >/dev/null
# bin/herald passes these with @herald.options: flags that silence libraries' sun.misc.Unsafe and
# native-access warnings, only for the JDK versions that know them (an unknown flag stops the JVM).
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$out/release")
: >"$out/herald.options"
[ "$major" -ge 22 ] && echo "--enable-native-access=ALL-UNNAMED" >>"$out/herald.options"
[ "$major" -ge 24 ] && echo "--sun-misc-unsafe-memory-access=allow" >>"$out/herald.options"
printf '%s\n' "$stamp" >"$out/herald-runtime.stamp"
