#!/usr/bin/env bash
# ./herald infra synth: the CDK app writes the CloudFormation templates (docs/deploy.md); no AWS
# account is asked. A repository tool: the settings name files relative to the repository.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage="Usage: ./herald infra synth [--out DIR] [--settings FILE] [-c key=value]...  (settings: docs/deploy.md)"
case "${1:-}" in
  synth) shift ;;
  -h|--help) echo "$usage"; exit 0 ;;
  "") echo "$usage" >&2; exit 2 ;;
  *) echo "herald: unknown infra command '$1'; ./herald infra synth writes the CloudFormation templates" >&2; exit 2 ;;
esac
case " $* " in *" -h "*|*" --help "*) echo "$usage"; exit 0 ;; esac
command -v node >/dev/null 2>&1 || die "node not found: the CDK runs its constructs in node (apt-get install nodejs)"
setup_java
jar="$ROOT/infra/target/herald-infra-$VERSION.jar" cp="$ROOT/infra/target/classpath.txt"
if stale || [ ! -f "$cp" ] || [ ! -f "$jar" ]; then build; fi
args=("$@")
case " $* " in
  *" --settings "*) ;;
  *) if [ -f "$ROOT/infra/settings.json" ]; then settings="$ROOT/infra/settings.json"
     else settings="$ROOT/infra/examples/settings.json"
       echo "herald: no infra/settings.json; using the example settings (copy and edit it, see docs/deploy.md)" >&2
     fi
     args=(--settings "$settings" "${args[@]}") ;;
esac
case " $* " in *" --out "*) ;; *) args=(--out "$ROOT/infra/target/cdk.out" "${args[@]}") ;; esac
# jsii prints an end-of-life banner under node < 22; a node 22 from npm (kept in target/) avoids it.
node_dir="$ROOT/infra/target/jsii-node"
if [ -z "${JSII_NODE:-}" ] && [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 22 ]; then
  if [ ! -x "$node_dir/node_modules/node/bin/node" ] && command -v npm >/dev/null 2>&1; then
    npm install --silent --no-audit --no-fund --prefix "$node_dir" node@22 >/dev/null 2>&1 || true
  fi
  if [ -x "$node_dir/node_modules/node/bin/node" ]; then export JSII_NODE="$node_dir/node_modules/node/bin/node"; fi
fi
cd "$ROOT"
# shellcheck disable=SC2086  # the flag lists are meant to split into words
exec "$JAVA" $JDK_FLAGS ${HERALD_JAVA_OPTS:-} -cp "$jar:$(cat "$cp")" io.herald.infra.HeraldInfraApp "${args[@]}"
