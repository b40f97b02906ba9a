#!/usr/bin/env bash
# Rollback latency on the sandbox: request -> provider call -> phase seen by the API.
#   bash bench/release-actions.sh [--actions 1000] [--database sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bash scripts/setup.sh >/dev/null
if [[ " $* " == *" postgres "* ]]; then setup_test_postgres; fi
NODE_ENV=test exec node --require @backstage/cli-node/config/nodeTransform.cjs \
  bench/release-actions.ts "$@"
