#!/usr/bin/env bash
# 500 viewers on entity pages (summary and detail polls, a signals WebSocket
# each) against one backend process on PostgreSQL for 5 minutes, with a
# rollback every 2 s: API latency and errors, and rollback request -> provider
# call under that load (see bench/README.md).
#   bash bench/load.sh [--duration 300] [--viewers 500] [--services 250]
#     [--rollback-every 2] [--poll always|unfinished] [--no-signals] [--json out.json]
#     [--profile DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bash scripts/setup.sh >/dev/null
setup_test_postgres
exec node --require @backstage/cli-node/config/nodeTransform.cjs \
  bench/load/run.ts "$@"
