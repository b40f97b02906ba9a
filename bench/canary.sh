#!/usr/bin/env bash
# Glidepath's canary judge against emulations of Flagger, Argo Rollouts and
# Kayenta on a labelled synthetic corpus (see bench/canary/README.md).
#   bash bench/canary.sh [--seed glidepath] [--healthy 3000] [--scale 1]
#     [--duration 10800] [--slo auto|off|99.9] [--arm-noise 1]
#     [--scenarios file.json] [--only-file] [--workers 2] [--json out.json]
#     [--policy '<JSON overrides of the judge's default policy>']
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
exec node --require @backstage/cli-node/config/nodeTransform.cjs \
  bench/canary/run.ts "$@"
