#!/usr/bin/env bash
# Sets up what is needed, then starts the demo portal: the app on
# http://localhost:3000 and the backend on http://localhost:7007.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$repo_root/scripts/setup.sh"
cd "$repo_root"
log "starting the portal: app http://localhost:3000, backend http://localhost:7007"
exec corepack yarn dev "$@"
