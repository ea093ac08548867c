#!/usr/bin/env bash
# Installs what the tests run besides Java: a real Prometheus (and its promtool) and a headless Chromium for the
# monitoring tests, Node.js for Juspay's reference code, and docker-compose, which checks docker-compose.yml without
# a Docker engine (DeployablesTest). Debian's packages, with apt, only when missing; sudo when not root. Fails when
# it cannot: under CI those tests fail rather than skip.
set -euo pipefail

missing=()
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-tools: no apt-get here; install ${missing[*]} by hand" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "install-test-tools: installing ${missing[*]} with apt" >&2
$SUDO apt-get update -qq
# The Debian package also starts a system Prometheus on :9090 where an init system runs; the tests start
# their own on a free loopback port and need nothing from it.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
