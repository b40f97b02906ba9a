#!/usr/bin/env bash
# Feature flags at the size of a company (issue 22): 20,000 flags across
# 1,000 services read into the inventory by the real flag sync from a paging
# provider, on PostgreSQL and SQLite; the sync's time (cold and unchanged)
# and the Feature flags page's API under concurrent requests (see
# bench/README.md).
#   bash bench/flags.sh [--database postgres,sqlite] [--flags 20000]
#     [--services 1000] [--page-size 500] [--concurrency 8] [--requests 300]
#     [--warmup 30] [--limit 100] [--seed glidepath] [--json out.json]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bash scripts/setup.sh >/dev/null
setup_yarn
if [[ " $* " != *" --database "* || " $* " == *postgres* ]]; then
  setup_test_postgres
fi
exec node --require @backstage/cli-node/config/nodeTransform.cjs bench/flags/run.ts "$@"
