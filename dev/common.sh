# Sourced by ./herald and the dev/*.sh commands: where things are, which JDK builds, how Maven runs,
# and when the application image is rebuilt. Nothing here runs on its own.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MIN_JAVA=21
VERSION=0.1.0-SNAPSHOT
IMAGE="$ROOT/packaging/target/herald-$VERSION"
BUILD_LOG="$ROOT/packaging/target/herald-build.log"

die() { echo "herald: $*" >&2; exit 1; }

# Prints the major version of the java binary $1 (8 for 1.8), or nothing.
java_major() {
  local v
  v=$("$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}') || return 0
  case "$v" in 1.*) echo "${v#1.}" | cut -d. -f1 ;; *) echo "${v%%[.+-]*}" ;; esac
}

# A JDK that can build Herald: java >= MIN_JAVA with javac and jlink beside it.
usable_jdk() {
  local java="$1" major
  [ -x "$java" ] && [ -x "$(dirname "$java")/javac" ] && [ -x "$(dirname "$java")/jlink" ] || return 1
  major=$(java_major "$java")
  [ -n "$major" ] && [ "$major" -ge "$MIN_JAVA" ]
}

# JAVA_HOME if usable, else java on PATH, else the newest usable JDK under /usr/lib/jvm.
find_jdk() {
  local candidate best="" best_major=0 major
  if [ -n "${JAVA_HOME:-}" ] && usable_jdk "$JAVA_HOME/bin/java"; then echo "$JAVA_HOME"; return; fi
  if candidate=$(command -v java 2>/dev/null) && candidate=$(readlink -f "$candidate") && usable_jdk "$candidate"; then
    dirname "$(dirname "$candidate")"; return
  fi
  for candidate in /usr/lib/jvm/*/bin/java; do
    usable_jdk "$candidate" || continue
    major=$(java_major "$candidate")
    if [ "$major" -gt "$best_major" ]; then best="$(dirname "$(dirname "$candidate")")"; best_major=$major; fi
  done
  [ -n "$best" ] && echo "$best"
}

setup_java() {
  local home
  home=$(find_jdk) || true
  # Debian 12 packages no JDK 21; Debian 13 has openjdk-21-jdk-headless, RHEL 8/9 java-21-openjdk-devel.
  [ -n "$home" ] || die "no JDK >= $MIN_JAVA found (JAVA_HOME, java on PATH, /usr/lib/jvm/*): install one (Debian 13: \
apt-get install openjdk-21-jdk-headless; Debian 12: Eclipse Temurin's apt repository, temurin-21-jdk) or set JAVA_HOME"
  export JAVA_HOME="$home"
  JAVA="$home/bin/java"
  JAVA_MAJOR=$(java_major "$JAVA")
  # Silence warnings about libraries' sun.misc.Unsafe and native access, on the JDKs that have the flags.
  JDK_FLAGS=""
  if [ "$JAVA_MAJOR" -ge 22 ]; then JDK_FLAGS="--enable-native-access=ALL-UNNAMED"; fi
  if [ "$JAVA_MAJOR" -ge 24 ]; then
    JDK_FLAGS="$JDK_FLAGS --sun-misc-unsafe-memory-access=allow"
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}

# Maven from the wrapper, run in the repository (a subshell: the caller's directory stays).
mvnw() { (cd "$ROOT" && ./mvnw -B -ntp -Dherald.jdk.flags="$JDK_FLAGS" "$@"); }

# Sources, resources or POMs newer than the last build?
stale() {
  [ -f "$IMAGE/lib/herald.jar" ] && [ -x "$IMAGE/runtime/bin/java" ] || return 0
  # The web page is built into the API's jar, so its sources count too (not its packages or output).
  [ -n "$(find "$ROOT" -path "$ROOT/web-client/node_modules" -prune -o -path "$ROOT/web-client/dist" -prune \
      -o -path '*/target' -prune -o -path "$ROOT/.git" -prune -o -path "$ROOT/dist" -prune \
      -o \( -name pom.xml -o -path '*/src/main/*' -o -path "$ROOT/web-client/*" \) -type f \
      -newer "$IMAGE/lib/herald.jar" -print -quit)" ]
}

# The image only (-Dherald.archives.skip): packing the .deb/.rpm/tarball is for `dist` and `test`.
build() {
  mkdir -p "$(dirname "$BUILD_LOG")"
  if [ -f "$IMAGE/lib/herald.jar" ]; then echo "herald: sources changed, rebuilding..." >&2
  else echo "herald: building (the first build downloads Maven and dependencies from Maven Central; a few minutes)..." >&2
  fi
  if ! mvnw -DskipTests -Dherald.archives.skip=true package >"$BUILD_LOG" 2>&1; then
    grep -E '^\[ERROR\]' "$BUILD_LOG" | head -20 >&2 || true
    die "build failed; the whole log is in $BUILD_LOG"
  fi
  touch "$IMAGE/lib/herald.jar"
  echo "herald: build done" >&2
}

# Installs a Debian package a dev command needs (as root), or explains why it cannot.
ensure_package() {
  local command="$1" package="$2" why="$3"
  command -v "$command" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "herald: installing $package ($why)" >&2
    apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null 2>&1 \
      && return 0
  fi
  return 1
}
