# Shared by the scripts in this folder. Sourced, not run.
# Makes Yarn 4 (through corepack) available as `yarn_cmd`, and points native
# builds at the system's Node headers where they match the running Node.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '\033[1m[glidepath]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[glidepath] %s\033[0m\n' "$*" >&2; exit 1; }

check_node() {
  command -v node >/dev/null || die "Node.js is not installed. Glidepath needs Node 20, 22 or 24."
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  case "$major" in
    20|22|24) ;;
    *) die "Node $(node --version) is not supported: use Node 20, 22 or 24 (for example 'nvm use 22')." ;;
  esac
}

# Corepack fetches Yarn from the npm registry the machine is set up to use
# (read at run time, never written to a file), so it works behind a mirror.
setup_yarn() {
  if [ -z "${COREPACK_NPM_REGISTRY:-}" ]; then
    local registry
    registry="$(npm config get registry 2>/dev/null || true)"
    registry="${registry%/}"
    [ -n "$registry" ] && export COREPACK_NPM_REGISTRY="$registry"
  fi
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
  if ! command -v corepack >/dev/null; then
    log "corepack is missing (Node 25+ no longer ships it); installing it with npm"
    npm install --global corepack >/dev/null || die "Could not install corepack with npm."
  fi
  # Put `yarn` on PATH for later commands when we may; scripts use corepack directly.
  corepack enable >/dev/null 2>&1 || true
}

yarn_cmd() { corepack yarn "$@"; }

# better-sqlite3 is built from source when no prebuilt binary can be fetched.
# Debian's nodejs ships its headers under /usr/include/node: use them when they
# match the running Node, so node-gyp does not try to download them.
setup_native_builds() {
  local header=/usr/include/node/node_version.h
  if [ -z "${npm_config_nodedir:-}" ] && [ -f "$header" ]; then
    local v
    v="$(awk '/define NODE_(MAJOR|MINOR|PATCH)_VERSION/ {printf "%s%s", sep, $3; sep="."}' "$header")"
    if [ "v$v" = "$(node --version)" ]; then
      export npm_config_nodedir=/usr
    fi
  fi
}

# PostgreSQL for the database tests. Uses GLIDEPATH_TEST_POSTGRES_URL
# (default: the server on 127.0.0.1:5432 as user postgres). Starts a local
# Debian cluster that is installed but stopped. Exports the connection string
# under the name Backstage's TestDatabases reads for the server's major
# version. Returns 1 when no server can be reached.
setup_test_postgres() {
  local url="${GLIDEPATH_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432}"
  command -v psql >/dev/null || { log "psql is not installed: PostgreSQL cases are skipped"; return 1; }
  if ! psql "$url" -tAc 'select 1' >/dev/null 2>&1; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] && [ "$(id -u)" = 0 ]; then
      local v
      for v in $(ls /etc/postgresql); do
        log "starting PostgreSQL $v"
        pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1 || true
      done
      local i
      for i in $(seq 1 30); do
        psql "$url" -tAc 'select 1' >/dev/null 2>&1 && break
        sleep 1
      done
    fi
  fi
  local num
  num="$(psql "$url" -tAc 'show server_version_num' 2>/dev/null || true)"
  if [ -z "$num" ]; then
    log "no PostgreSQL server answers at $url: PostgreSQL cases are skipped"
    return 1
  fi
  local major=$((num / 10000))
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=$url"
  export GLIDEPATH_TEST_POSTGRES_URL="$url"
  log "PostgreSQL $major at $url is used for the database tests"
}
