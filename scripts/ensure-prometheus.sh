#!/usr/bin/env bash
# Makes /usr/bin/prometheus available for the Prometheus module's contract
# tests, which start their own Prometheus process on a free port with a
# throwaway data directory. Installs Debian's `prometheus` package with
# apt-get when the binary is missing (Debian or Ubuntu, as root). The
# package's own service is never used: where systemd runs, it is stopped and
# disabled; where it does not (containers), nothing starts it.
# Prints the version; exits non-zero with the reason when it cannot.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

prometheus_bin=/usr/bin/prometheus

if [ ! -x "$prometheus_bin" ]; then
  command -v apt-get >/dev/null ||
    die "Prometheus is not installed at $prometheus_bin and apt-get is missing: install Prometheus 2.x so that $prometheus_bin exists"
  [ "$(id -u)" = 0 ] ||
    die "Prometheus is not installed at $prometheus_bin: run 'sudo apt-get install prometheus', or this script as root"

  log "installing Debian's prometheus package with apt-get (once per machine)"
  export DEBIAN_FRONTEND=noninteractive
  # Keep the package's maintainer scripts from starting its service: the
  # tests run their own process; a stray one would hold port 9090 for nothing.
  policy=/usr/sbin/policy-rc.d
  added_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
    added_policy=1
  fi
  install_prometheus() {
    apt-get install -y --no-install-recommends prometheus
  }
  status=0
  install_prometheus || {
    log "apt-get install failed; updating the package lists and retrying"
    apt-get update && install_prometheus
  } || status=$?
  [ -n "$added_policy" ] && rm -f "$policy"
  [ "$status" = 0 ] || die "apt-get could not install prometheus (exit $status)"
  [ -x "$prometheus_bin" ] ||
    die "apt-get installed prometheus but $prometheus_bin is missing"

  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
fi

"$prometheus_bin" --version 2>&1 | head -n 1 ||
  die "$prometheus_bin does not run"
