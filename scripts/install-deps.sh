#!/usr/bin/env bash
# Installs what jobhost needs to build and test, when it is missing: Debian 12
# packages, and the ganache chain node from npm. Needs root (or sudo) only
# when a Debian package must be installed.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  clang libclang-rt-14-dev  # the fuzz build (libFuzzer)
  libboost-dev libboost-program-options-dev
  libspdlog-dev libfmt-dev
  libcurl4-openssl-dev nlohmann-json3-dev libcpp-httplib-dev libhowardhinnant-date-dev libsqlite3-dev tzdata
  libssl-dev  # libcrypto: SHA-256 of plugin files
  libsystemd-dev  # sd_notify: READY/STOPPING/watchdog under systemd
  libgtest-dev libgmock-dev libbenchmark-dev
  prometheus  # promtool, which checks the /metrics output in a test
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# Node.js runs the local chain (ganache) for the end-to-end tests and the demo;
# a Node.js installed some other way will do.
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # Packages that ship a service (prometheus) must not start it here: only
  # the tests start what they need, on loopback. policy-rc.d is Debian's way
  # to say so, for the length of the install.
  policy=/usr/sbin/policy-rc.d
  own_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && own_policy=1
  fi
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ -n "$own_policy" ]; then $sudo rm -f "$policy"; fi
fi

# The npm packages the tests use (ganache, croner), at the versions pinned in
# tests/e2e/package-lock.json.
e2e="$(dirname "$0")/../tests/e2e"
if ! (cd "$e2e" && node -e 'for (const name of Object.keys(require("./package.json").dependencies))
                              require.resolve(name + "/package.json")' 2>/dev/null); then
  echo "installing: npm packages in tests/e2e"
  npm ci --prefix "$e2e" --no-audit --no-fund --loglevel=error >/dev/null
fi
