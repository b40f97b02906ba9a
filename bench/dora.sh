#!/usr/bin/env bash
# DORA at the size of a company: 1,000 services x 6 months (about 300,000
# deployments and 30,000 incidents) posted to a real backend on SQLite and on
# PostgreSQL; ingestion rate and the analytics queries' latency (see
# bench/README.md).
#   bash bench/dora.sh [--services 1000] [--days 182] [--database sqlite,postgres]
#     [--runs 30] [--warmup 3] [--batch 1000] [--seed glidepath] [--json out.json]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bash scripts/setup.sh >/dev/null
setup_yarn
if [[ " $* " != *" --database "* || " $* " == *postgres* ]]; then
  setup_test_postgres
fi
exec node --require @backstage/cli-node/config/nodeTransform.cjs bench/dora/run.ts "$@"
