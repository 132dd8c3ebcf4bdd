#!/usr/bin/env bash
# ./herald coverage [MAVEN OPTIONS]: runs the tests of every module the report covers with the JaCoCo agent
# (-Pcoverage) and writes one report over all of them to target/site/jacoco-aggregate. The package installation
# and the real Slurm run the installed image in other processes, without the agent: they are left out.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-}" in
  -h|--help)
    echo "Usage: ./herald coverage [MAVEN OPTIONS]  (every module's tests with JaCoCo; one report over all"
    echo "modules in target/site/jacoco-aggregate/index.html; line and branch totals printed at the end)"
    exit 0 ;;
esac
setup_java
report="$ROOT/target/site/jacoco-aggregate"
rm -rf "$report"
mvnw -Pcoverage -pl coverage -am "$@" verify || die "tests failed; no coverage report"
[ -f "$report/jacoco.csv" ] || die "no report was written to $report (were the tests skipped?)"
# jacoco.csv, one row per class: columns 6/7 are branches missed/covered, 8/9 lines missed/covered.
awk -F, 'NR > 1 { bm += $6; bc += $7; lm += $8; lc += $9 }
  END {
    printf "herald: coverage: lines %.1f%% (%d of %d), branches %.1f%% (%d of %d)\n",
      100 * lc / (lc + lm), lc, lc + lm, 100 * bc / (bc + bm), bc, bc + bm
  }' "$report/jacoco.csv"
echo "herald: report: $report/index.html"
