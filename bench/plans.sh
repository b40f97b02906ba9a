#!/usr/bin/env bash
# Release plans (issue 21): a 200-service plan in 10 waves on the sandbox
# (1 s steps), run by the backend as a child process on PostgreSQL: the
# time from a wave's gate passing to the next wave's first provider call,
# then the same plan (another version) with the backend SIGKILLed 20 times
# and restarted on the same databases (see bench/README.md).
#   bash bench/plans.sh [--layers 10] [--per-layer 20] [--kills 20]
#     [--step-seconds 1] [--seed plans] [--json out.json] [--keep-logs]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bash scripts/setup.sh >/dev/null
setup_yarn
setup_test_postgres || die "the plans bench needs PostgreSQL"
exec node --require @backstage/cli-node/config/nodeTransform.cjs bench/plans/run.ts "$@"
