#!/usr/bin/env bash
# Runs browser-test.mjs in Debian's Chromium, installing it first when it is missing (CI runs as
# root on a fresh machine). Playwright's own browser download cannot work here, so playwright-core
# drives the system browser. Exit 3 means "cannot run here" (no Chromium and no root to install it).
#
# usage: e2e/run-browser-test.sh BASE_URL OUT_DIR [SCRIPT]   (SCRIPT defaults to e2e/browser-test.mjs)
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=/usr/bin/chromium
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "browser test: $CHROMIUM is missing and installing it needs root: apt-get install chromium" >&2
    exit 3
  fi
  echo "browser test: installing Debian's chromium (apt-get install chromium)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
fi
node scripts/ensure-deps.mjs
exec node "${3:-e2e/browser-test.mjs}" "$1" "$2"
