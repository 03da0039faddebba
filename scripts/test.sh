#!/usr/bin/env bash
# Builds jobhost and runs every test: the default build, then the AddressSanitizer
# (+UBSan) and ThreadSanitizer builds, then a short libFuzzer run of the cron
# parser and of the reading of a worker's messages (clang, preset fuzz).
# Installs missing Debian packages first.
#   scripts/test.sh                 all of them
#   scripts/test.sh default tsan    only these
#   scripts/test.sh fuzz            only the fuzz run (JOBHOST_FUZZ_SECONDS=600: longer, for each target)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

presets=("$@")
[ ${#presets[@]} -eq 0 ] && presets=(default asan tsan fuzz)
jobs=$(nproc)

# Runs each libFuzzer target for JOBHOST_FUZZ_SECONDS (30) seconds, starting
# from a copy of its committed corpus: new inputs go to a temporary directory,
# never into tests/fuzz. A crash, sanitizer report, hang (-timeout) or memory
# blow-up fails the run; the input that did it is left in build/fuzz/artifacts.
run_fuzz() {
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs"
  fuzz_one cron_parser_fuzz tests/fuzz/corpus tests/fuzz/cron.dict 256
  fuzz_one worker_message_fuzz tests/fuzz/worker_message_corpus tests/fuzz/worker_message.dict 4096
}

# fuzz_one TARGET CORPUS DICTIONARY MAX_LEN
fuzz_one() {
  local target=$1 corpus=$2 dictionary=$3 max_len=$4 work artifacts status=0
  work=$(mktemp -d)
  artifacts="$PWD/build/fuzz/artifacts"
  mkdir -p "$work/corpus" "$artifacts"
  cp -R "$corpus/." "$work/corpus/"
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}" \
    "build/fuzz/tests/fuzz/$target" -dict="$dictionary" \
      -max_total_time="${JOBHOST_FUZZ_SECONDS:-30}" -timeout=5 -rss_limit_mb=2048 -max_len="$max_len" \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$work/corpus" || status=$?
  rm -rf "$work"
  if [ "$status" -ne 0 ]; then
    echo "$target failed (exit $status); the input is in $artifacts (see docs/testing.md)" >&2
    return "$status"
  fi
}

# Each step's wall time, printed at the end: where CI's time goes.
timings=()
timed() {
  local label=$1 start=$SECONDS
  shift
  "$@"
  timings+=("$(printf '%5d s  %s' $((SECONDS - start)) "$label")")
}

for preset in "${presets[@]}"; do
  echo "=== preset $preset ==="
  if [ "$preset" = fuzz ]; then
    timed "fuzz (build and run)" run_fuzz
    continue
  fi
  cmake --preset "$preset" >/dev/null
  timed "$preset build" cmake --build --preset "$preset" -j "$jobs"
  timed "$preset tests" ctest --preset "$preset" -j "$jobs"
done
printf '=== wall time of each step ===\n'
printf '%s\n' "${timings[@]}"
