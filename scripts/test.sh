#!/usr/bin/env bash
# Sets up what is needed, then runs all the tests: the unit and integration
# suites (database cases on SQLite and, when a server answers, PostgreSQL;
# the Prometheus module's contract tests against a real Prometheus; the
# Unleash module's tests against a real Unleash) and the browser tests
# against a portal this script starts and stops itself.
#
#   GLIDEPATH_REQUIRE_POSTGRES=1    fail instead of skipping the PostgreSQL cases
#   GLIDEPATH_REQUIRE_PROMETHEUS=1  fail instead of skipping the Prometheus cases
#                                   (scripts/ensure-prometheus.sh installs it)
#   GLIDEPATH_REQUIRE_UNLEASH=1     fail instead of skipping the Unleash cases
#                                   (scripts/ensure-unleash.sh installs it)
#   GLIDEPATH_SKIP_E2E=1            run only the unit and integration suites
#   extra arguments are passed to the test runner (e.g. a path filter)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$repo_root/scripts/setup.sh"
cd "$repo_root"

# TestDatabases would otherwise try to start PostgreSQL in Docker.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
if ! setup_test_postgres; then
  [ "${GLIDEPATH_REQUIRE_POSTGRES:-}" = 1 ] && die "GLIDEPATH_REQUIRE_POSTGRES=1 but no PostgreSQL server could be reached"
fi

bash "$repo_root/scripts/ensure-prometheus.sh" || [ "${GLIDEPATH_REQUIRE_PROMETHEUS:-}" != 1 ] || die "GLIDEPATH_REQUIRE_PROMETHEUS=1 but Prometheus is not available"
bash "$repo_root/scripts/ensure-unleash.sh" || [ "${GLIDEPATH_REQUIRE_UNLEASH:-}" != 1 ] || die "GLIDEPATH_REQUIRE_UNLEASH=1 but unleash-server could not be installed"

log "running the unit and integration tests"
# CI=true keeps the runner out of watch mode.
CI=true yarn_cmd backstage-cli repo test "$@"

if [ "${GLIDEPATH_SKIP_E2E:-}" != 1 ] && [ $# -eq 0 ]; then
  log "running the browser tests"
  node e2e/run.mjs
fi
