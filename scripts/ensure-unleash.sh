#!/usr/bin/env bash
# Makes unleash-server available for the Unleash module's tests, which start
# their own Unleash in a child process on a free port with a fresh PostgreSQL
# database. unleash-server is about 190 MB of dependencies that the portal
# does not need, so it is installed with npm outside the workspace (not in
# yarn.lock), into a cache directory:
#   ${GLIDEPATH_UNLEASH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/glidepath/unleash-server-<version>}
# The tests look in the same place (GLIDEPATH_UNLEASH_DIR overrides it for
# both). Version 7.5.1 is the newest that runs on Node 20 (7.6 and 8 need
# Node 22). Prints the installed version; exits non-zero with the reason when
# it cannot install it. Safe to rerun: does nothing when it is installed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

version="${GLIDEPATH_UNLEASH_VERSION:-7.5.1}"
dir="${GLIDEPATH_UNLEASH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/glidepath/unleash-server-$version}"
pkg="$dir/node_modules/unleash-server/package.json"

installed_version() {
  node -p "require('$pkg').version" 2>/dev/null || true
}

if [ "$(installed_version)" != "$version" ]; then
  command -v npm >/dev/null || die "npm is missing: it installs unleash-server for the Unleash module's tests"
  log "installing unleash-server@$version into $dir with npm (once per machine, about a minute, ~190 MB)"
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{ "private": true }' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --omit=dev --loglevel=error \
    "unleash-server@$version" >&2 ||
    die "npm could not install unleash-server@$version into $dir"
  [ "$(installed_version)" = "$version" ] ||
    die "npm installed unleash-server but $pkg does not say version $version"
fi

echo "unleash-server $(installed_version) in $dir"
