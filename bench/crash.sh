#!/usr/bin/env bash
# Crash test (issue 25): kills the real demo backend with SIGKILL 0-200 ms
# after a rollback is posted, restarts it on the same PostgreSQL database and
# checks that the action ends within 30 s and the release is rolled back
# exactly once; ROUNDS times (20 by default, as in the suite:
# packages/backend/src/crash.integration.test.ts). Prints the per-round table.
#   bash bench/crash.sh            # ROUNDS=20 (at most 21)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
setup_yarn
export BACKSTAGE_TEST_DISABLE_DOCKER=1
setup_test_postgres || die "the crash test needs PostgreSQL"
log "crash test: ${ROUNDS:-20} rounds"
cd packages/backend
GLIDEPATH_CRASH_ROUNDS="${ROUNDS:-20}" CI=true yarn_cmd backstage-cli package test --maxWorkers=1 src/crash.integration.test.ts 2>&1 |
  tee /tmp/glidepath-bench-crash.log |
  sed -n '/crash rounds:/,/at Object/p; /Tests:/p; /●/p'
test "${PIPESTATUS[0]}" = 0
