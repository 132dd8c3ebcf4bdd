#!/usr/bin/env bash
# Runs one of the browser tests (e2e/*.e2e.ts, with @playwright/test) in Debian's Chromium,
# installing it first when it is missing (CI runs as root on a fresh machine). Playwright's own
# browser download cannot work here, so playwright.config.ts points at the system browser.
# Exit 3 means "cannot run here" (no Chromium and no root to install it); otherwise Playwright's:
# 0 every step passed, 1 a step failed.
#
# usage: e2e/run-browser-test.sh BASE_URL OUT_DIR SPEC   (SPEC e.g. e2e/dashboard.e2e.ts)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 3 ]; then
  echo "usage: e2e/run-browser-test.sh BASE_URL OUT_DIR SPEC" >&2
  exit 2
fi
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
mkdir -p "$2"
export HERALD_BASE_URL="$1" HERALD_OUT_DIR="$2"
exec npx --no-install playwright test "$3"
