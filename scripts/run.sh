#!/usr/bin/env bash
# Builds jobhost and runs the daemon in the foreground with the bundled
# plugins, state under build/state, until Ctrl-C (SIGINT) or SIGTERM.
# Extra arguments are passed to `jobhost run`, e.g. --log-level debug.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)"
exec build/default/jobhost run \
  --plugin-dir build/default/plugins \
  --state-dir build/state \
  "$@"
