#!/usr/bin/env bash
# The dependency graph on generated catalogs of 500 and 5,000 graph nodes in a
# real catalog: graph API latency and catalog round trips, time to a usable
# graph in Chromium, and catalog-graph side by side (see bench/README.md).
#   bash bench/graph.sh [--sizes 500,5000] [--runs 50] [--browser-runs 5]
#     [--cg-runs 3] [--cg-timeout 180] [--browser-sizes 5000] [--skip-browser]
#     [--skip-no-snapshot] [--database sqlite|postgres] [--seed glidepath]
#     [--json out.json]   (about 15 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bash scripts/setup.sh >/dev/null
setup_yarn
if [[ " $* " == *" postgres "* ]]; then setup_test_postgres; fi
exec node bench/graph/run.mjs "$@"
