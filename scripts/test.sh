#!/usr/bin/env bash
# Builds jobhost and runs every test: the default build, then the AddressSanitizer
# (+UBSan) and ThreadSanitizer builds. Installs missing Debian packages first.
#   scripts/test.sh                 all three presets
#   scripts/test.sh default tsan    only these
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

presets=("$@")
[ ${#presets[@]} -eq 0 ] && presets=(default asan tsan)
jobs=$(nproc)

for preset in "${presets[@]}"; do
  echo "=== preset $preset ==="
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  ctest --preset "$preset" -j "$jobs"
done
