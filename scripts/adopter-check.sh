#!/usr/bin/env bash
# The adopter's path, end to end: a brand-new Backstage app from the official
# creator, Glidepath built and packed from this checkout and installed into
# it by following docs/install.md step by step, the app started, and in
# Chromium the guest signs in, opens the Releases tab of the annotated
# entity and rolls its release back.
#
# Every step below names the step of docs/install.md it follows; the code
# the doc gives (resolutions, backend lines, permission policy, app-config,
# annotation) is taken from docs/install.md itself (apply-doc.mjs). What
# this script does beyond the doc is marked "check only": the temp dir, the
# port, a faster sandbox train, the browser.
#
# Needs Node 20, 22 or 24 and the npm registry; installs everything else
# (Yarn through corepack, the creator, the app's packages; Chromium with
# apt-get when missing and run as root). Takes about 10 minutes on 2 cores.
#
# Environment:
#   GLIDEPATH_ADOPTER_DIR    work dir (default /tmp/adopter-<pid>), removed at the end
#   GLIDEPATH_ADOPTER_KEEP=1 keep the work dir (the app) for a look afterwards
#   GLIDEPATH_ADOPTER_PORT   the app's port (default 7107; the demo uses 3000/7007)
#   CREATE_APP_VERSION       @backstage/create-app version (default: 0.9.0 on
#                            Node 20, the newest that runs there; latest otherwise)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$repo_root"

check_node
setup_yarn
setup_native_builds

work="${GLIDEPATH_ADOPTER_DIR:-/tmp/adopter-$$}"
port="${GLIDEPATH_ADOPTER_PORT:-7107}"
app="$work/my-backstage-app"
packs="$app/glidepath-packs"
shots="$repo_root/e2e/artifacts/adopter-check"
backend_pgid=""
started=$SECONDS

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ -z "${CREATE_APP_VERSION:-}" ]; then
  # create-app 0.9.1 and later refuse Node 20 ("not a supported LTS version").
  if [ "$node_major" = 20 ]; then CREATE_APP_VERSION=0.9.0; else CREATE_APP_VERSION=latest; fi
fi

step() { log "[$((SECONDS - started)) s] $*"; }

cleanup() {
  local rc=$?
  if [ -n "$backend_pgid" ]; then
    kill -- "-$backend_pgid" 2>/dev/null || true
    for _ in $(seq 1 20); do
      kill -0 -- "-$backend_pgid" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 -- "-$backend_pgid" 2>/dev/null || true
  fi
  if [ "$rc" != 0 ] && [ -f "$work/backend.log" ]; then
    log "the backend's last lines ($work/backend.log):"
    tail -n 40 "$work/backend.log" >&2 || true
  fi
  if [ "${GLIDEPATH_ADOPTER_KEEP:-}" = 1 ]; then
    log "kept $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  die "port $port is in use; set GLIDEPATH_ADOPTER_PORT to a free one"
fi
rm -rf "$shots"
mkdir -p "$work" "$shots"

# --- docs/install.md, step 1: a new app -----------------------------------
# Non-interactive: the name comes from BACKSTAGE_APP_NAME, the folder from
# --path. The creator's "yarn.lock seed" comes from raw.githubusercontent.com;
# where only the npm registry answers, it warns and the app's transitive
# dependencies resolve to their newest matching versions (see the doc).
step "creating an app with @backstage/create-app@$CREATE_APP_VERSION"
(cd "$work" && BACKSTAGE_APP_NAME=my-backstage-app \
  npx --yes "@backstage/create-app@$CREATE_APP_VERSION" --skip-install \
  --path "$app" >"$work/create-app.log" 2>&1) ||
  { tail -n 30 "$work/create-app.log" >&2; die "create-app failed"; }
grep -q 'yarn.lock seed' "$work/create-app.log" && grep -A1 'Warning: Failed to fetch the yarn.lock seed' "$work/create-app.log" >&2 || true
log "created Backstage $(node -p "require('$app/backstage.json').version") app"

# --- step 2: the supported release line (the app's one install) ------------
step "yarn up '@backstage/*' in the app (its first install)"
(cd "$app" && yarn_cmd up '@backstage/*' >"$work/install.log" 2>&1) ||
  { tail -n 40 "$work/install.log" >&2; die "yarn up '@backstage/*' failed"; }
for pkg in plugin-catalog-react:4 plugin-catalog-node:3 frontend-plugin-api:1 backend-plugin-api:1; do
  name="@backstage/${pkg%%:*}" want="${pkg##*:}"
  got="$(node -p "require(require.resolve('$name/package.json', { paths: ['$app/packages/app', '$app/packages/backend'] })).version" 2>/dev/null || echo none)"
  [ "${got%%.*}" = "$want" ] || die "$name is $got in the app, docs/install.md's table wants $want.x"
done

# --- step 3: build and pack Glidepath from this checkout ------------------
step "building and packing Glidepath's packages"
bash scripts/setup.sh
yarn_cmd tsc
yarn_cmd backstage-cli repo build
mkdir -p "$packs"
yarn_cmd workspaces foreach --all --no-private pack --out "$packs/%s-%v.tgz" >"$work/pack.log" 2>&1 ||
  { tail -n 30 "$work/pack.log" >&2; die "yarn pack failed"; }
node scripts/adopter-check/check-packs.mjs "$packs"
node scripts/adopter-check/apply-doc.mjs "$app" resolutions
# The doc's resolutions and the tarballs match one to one (a new package or
# a version bump without a doc update fails here).
node -e '
  const { existsSync, readdirSync } = require("fs");
  const { resolve } = require("path");
  const [app, packs] = process.argv.slice(1);
  const res = require(resolve(app, "package.json")).resolutions;
  const mapped = Object.entries(res).filter(([n]) => n.startsWith("@glidepath/")).map(([, v]) => resolve(app, v.replace(/^file:/, "")));
  const missing = mapped.filter(f => !existsSync(f));
  const unmapped = readdirSync(packs).map(f => resolve(packs, f)).filter(f => !mapped.includes(f));
  if (missing.length || unmapped.length) {
    console.error("docs/install.md resolutions and the packed tarballs differ:", { missing, unmapped });
    process.exit(1);
  }
' "$app" "$packs"

# --- step 4: add the packages ---------------------------------------------
step "adding Glidepath to the app"
(
  cd "$app"
  yarn_cmd --cwd packages/backend add \
    @glidepath/backstage-plugin-backend@^0.1.0 \
    @glidepath/backstage-plugin-backend-module-sandbox@^0.1.0 \
    @glidepath/backstage-plugin-common@^0.1.0
  yarn_cmd --cwd packages/app add @glidepath/backstage-plugin@^0.1.0
) >"$work/add.log" 2>&1 || { tail -n 40 "$work/add.log" >&2; die "yarn add failed"; }
dupes="$(cd "$app" && ls -d node_modules/@glidepath/*/node_modules/@backstage/* 2>/dev/null || true)"
[ -z "$dupes" ] || die "Glidepath got its own copies of Backstage packages (the app is not on the release line):
$dupes"

# --- steps 5 to 9: backend, frontend (discovered), config, policy, entity ---
step "wiring Glidepath in as docs/install.md says"
node scripts/adopter-check/apply-doc.mjs "$app" backend-index
node scripts/adopter-check/apply-doc.mjs "$app" app-config
node scripts/adopter-check/apply-doc.mjs "$app" permission-policy
node scripts/adopter-check/apply-doc.mjs "$app" permission-policy-index
node scripts/adopter-check/apply-doc.mjs "$app" annotation

# --- step 10: start ---------------------------------------------------------
step "type-checking the app"
(cd "$app" && yarn_cmd tsc) || die "the app does not type-check with Glidepath"

# Check only: one port for app and backend, away from the demo's 3000/7007,
# and a sandbox train that releases every minute without faults, so that a
# release is there to roll back within seconds.
cat >"$app/app-config.check.yaml" <<EOF
app:
  baseUrl: http://localhost:$port
backend:
  baseUrl: http://localhost:$port
  listen:
    port: $port
  cors:
    origin: http://localhost:$port
glidepath:
  sandbox:
    releaseInterval: { minutes: 1 }
    stepDuration: { seconds: 10 }
    faultRate: 0
EOF
configs=(--config "$app/app-config.yaml" --config "$app/app-config.check.yaml")

step "building the frontend"
(cd "$app" && yarn_cmd workspace app build "${configs[@]}" >"$work/app-build.log" 2>&1) ||
  { tail -n 40 "$work/app-build.log" >&2; die "the app's build failed"; }
grep -rqs "glidepath" "$app/packages/app/dist/static" || die "the built app has no Glidepath in it"

step "starting the backend on port $port (it serves the built frontend)"
cd "$app/packages/backend"
setsid corepack yarn start "${configs[@]}" >"$work/backend.log" 2>&1 </dev/null &
backend_pgid=$!
cd "$repo_root"
for _ in $(seq 1 180); do
  curl -sf -o /dev/null "http://localhost:$port/.backstage/health/v1/readiness" && break
  kill -0 "$backend_pgid" 2>/dev/null || die "the backend exited"
  sleep 1
done
curl -sf -o /dev/null "http://localhost:$port/.backstage/health/v1/readiness" ||
  die "the backend was not ready within 3 minutes"

step "in Chromium: sign in, open the Releases tab, roll back"
node scripts/adopter-check/browser.mjs "http://localhost:$port" \
  default/component/example-website "$shots"

step "passed: a fresh app runs Glidepath as docs/install.md says (screenshots in $shots)"
