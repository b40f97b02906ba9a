#!/usr/bin/env bash
# Installs what the portal and the tests need: Yarn 4 through corepack and the
# workspace's packages. Safe to rerun: when neither the lockfile, a
# package.json nor the Node version changed since the last install, it does
# nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$repo_root"

check_node
setup_yarn
setup_native_builds

stamp_file=node_modules/.glidepath-setup-stamp
deps_stamp() {
  local f
  {
    node --version
    for f in yarn.lock package.json packages/*/package.json plugins/*/package.json; do
      if [ -f "$f" ]; then cat "$f"; fi
    done
  } | sha256sum | cut -d' ' -f1
}
stamp="$(deps_stamp)"

if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ]; then
  log "dependencies are up to date"
  exit 0
fi

log "installing dependencies with Yarn $(yarn_cmd --version) (a cold install takes a few minutes)"
if [ "${CI:-}" = "true" ]; then
  yarn_cmd install --immutable
else
  yarn_cmd install
fi
# Recompute: `yarn install` may have updated the lockfile.
stamp="$(deps_stamp)"
echo "$stamp" > "$stamp_file"
log "dependencies installed"
