#!/usr/bin/env bash
# Layouts of the dependency graph compared (Glidepath's barycentre layout,
# dagre, ELK layered): crossings, area per node, label size and time on the
# demo catalog and the generated 5,000-node catalog (see bench/README.md,
# "Dependency graph").
#   bash bench/graph-layout.sh [--runs 5] [--seed glidepath] [--json out.json]
#     [--layouts barycentre,dagre,ELK] [--graphs 0,1,2,3]  (0 demo tab, 1 demo
#     catalog, 2 the ~1,000-node neighbourhood, 3 the 5,000-node catalog)
#   About 3 minutes on 2 cores for the demo and the ~1,000-node graph; on
#   the 5,000-node one ELK takes about 5 minutes and dagre more than 15
#   (the README's figures stopped it): `--layouts barycentre,ELK` or
#   `--graphs 0,1,2` leave them out.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bash scripts/setup.sh >/dev/null
setup_yarn
exec node --require @backstage/cli-node/config/nodeTransform.cjs \
  bench/graph/layout.ts "$@"
