#!/usr/bin/env bash
# Runs the convergence harness on N random seeds (default 100) and prints a summary line:
# runs, operations, faults injected, lost edits, divergent documents. Usage: scripts/soak.sh [N]
#
# PM_SOAK_FIRST_SEED=<n> starts at a given seed; PM_STEPS=<n> sets steps per run (default 40);
# Then the frame property tests and the fuzzing of endpoints and socket run with PM_FUZZ_CASES
# cases each (default 20,000).
# The binaries are copied aside first, so that building on while it runs does not disturb it.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-100}
scripts/setup.sh >/dev/null
cargo build --all-targets
test_bin=$(cargo test -p system-tests --test convergence --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*convergence[^"]*\)".*/\1/p' | tail -1)
aside=$(mktemp -d)
trap 'rm -rf "$aside"' EXIT
mkdir -p "$aside/deps"
cp target/debug/sync-server target/debug/device-host "$aside/"
cp "$test_bin" "$aside/deps/convergence"
mkdir -p test-output
log=test-output/soak.log
PM_SOAK_RUNS=$runs "$aside/deps/convergence" --ignored --nocapture --exact soak 2>&1 | tee "$log" |
  grep -E '^(seed|FAILED|SOAK|  )' || true
grep -q '^SOAK |.*failed runs 0 ' "$log" || { echo "soak failed (log: $log)"; exit 1; }
# The property tests and the fuzzing of the real server, with more cases than the test command.
PM_FUZZ_CASES=${PM_FUZZ_CASES:-20000} cargo test -p sync-server --lib properties
PM_FUZZ_CASES=${PM_FUZZ_CASES:-20000} cargo test -p system-tests --test fuzz -- --nocapture
