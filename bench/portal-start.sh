#!/usr/bin/env bash
# Measures how long the demo portal (`yarn dev`: app dev server + backend)
# takes to answer, and the peak resident memory of its whole process tree,
# sampled every second until it is up and for SETTLE seconds after (during
# which the demo catalog is processed and the app is requested once).
#   bash bench/portal-start.sh            # SETTLE=60 by default
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
setup_yarn
SETTLE="${SETTLE:-60}"

tree_rss_kb() { # total RSS of a process group
  ps -o rss= -g "$1" 2>/dev/null | awk '{s+=$1} END {print s+0}'
}

start=$(date +%s.%N)
setsid corepack yarn dev --config "$PWD/app-config.yaml" --config "$PWD/e2e/app-config.e2e.yaml" >/tmp/glidepath-bench-portal.log 2>&1 &
pgid=$!
trap 'kill -- -$pgid 2>/dev/null || true' EXIT

peak=0
up=""
for i in $(seq 1 300); do
  rss=$(tree_rss_kb "$pgid"); [ "$rss" -gt "$peak" ] && peak=$rss
  if [ -z "$up" ] && curl -sf http://localhost:7007/.backstage/health/v1/readiness >/dev/null && curl -sf http://localhost:3000 >/dev/null; then
    up=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {print a - b}')
    curl -sf http://localhost:3000 >/dev/null
    break
  fi
  sleep 1
done
[ -n "$up" ] || die "the portal did not come up; see /tmp/glidepath-bench-portal.log"
for i in $(seq 1 "$SETTLE"); do
  rss=$(tree_rss_kb "$pgid"); [ "$rss" -gt "$peak" ] && peak=$rss
  sleep 1
done
printf 'portal up (backend ready and app served) after %.1f s\n' "$up"
printf 'peak RSS of the portal process tree: %d MiB (sampled 1/s, %d s after start-up)\n' "$((peak / 1024))" "$SETTLE"
