#!/usr/bin/env bash
# Runs every check and test of the project, and prints a summary. Installs what it needs first
# (scripts/setup.sh, idempotent). Exit status 0 only if everything passed.
#
# Screenshots and other artefacts a person may want to look at land in test-output/.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mkdir -p test-output
log_dir=test-output/logs
rm -rf "$log_dir" && mkdir -p "$log_dir"

scripts/setup.sh || { echo "setup failed"; exit 1; }
# One run builds everything once: incremental compilation's caches would only take disk (4 GB
# and more), and a CI run on a machine with little room left failed on them. A developer who wants
# them sets CARGO_INCREMENTAL=1.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
disk_report() { # what the build takes and what is left, so a full disk is seen for what it is
  echo "disk: $(du -sh target 2>/dev/null | cut -f1) in target/, $(df -h --output=avail . | tail -1 | tr -d ' ') free"
}
disk_report
# The hostile-client suite opens thousands of sockets (and so does the server it attacks).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

results=()
failed=0
step() { # name command...
  local name=$1; shift
  local log="$log_dir/$(echo "$name" | tr ' /' '__').log"
  printf '\n\033[1m== %s\033[0m\n' "$name"
  local start=$SECONDS
  if "$@" 2>&1 | tee "$log"; then
    results+=("PASS  $(printf '%5ss' $((SECONDS - start)))  $name")
  else
    results+=("FAIL  $(printf '%5ss' $((SECONDS - start)))  $name   (log: $log)")
    failed=1
  fi
}

# Tests that open the app need a display: run them in a virtual one.
with_display() {
  if [ -n "${DISPLAY:-}" ] && [ -z "${PM_FORCE_XVFB:-}" ]; then "$@"; else
    xvfb-run -a -s "-screen 0 1920x1080x24" "$@"; fi
}

step "format (cargo fmt --check)" cargo fmt --all -- --check
step "frontend build (trunk)" bash -c "cd app && trunk build"
step "build (workspace, all targets)" cargo build --all-targets
step "lint (clippy, native)" cargo clippy --all-targets -- -D warnings
step "lint (clippy, webview and web app)" cargo clippy -p app -p mentoring -p pm-device -p pm-store --target wasm32-unknown-unknown -- -D warnings
step "core crates build for the browser (wasm32)" cargo build -p pm-domain -p pm-documents -p pm-certificate -p pm-archive -p pm-store -p pm-device -p mentoring --target wasm32-unknown-unknown
step "unit and snapshot tests" cargo test --lib --bins --test snapshots
step "the core in a browser (wasm-bindgen tests, headless Chromium)" env CHROMEDRIVER=/usr/bin/chromedriver cargo test -p pm-store -p mentoring --target wasm32-unknown-unknown --test browser
step "tidy (rules over the source tree)" cargo test --test tidy
step "system tests: devices and the real server" cargo test --no-fail-fast --test sync --test pair --test privacy --test invitations --test circles --test fuzz --test disks --test interop --test erasure --test instances -- --nocapture
# Six device processes, crashes, partitions and full disks on fixed seeds (scripts/soak.sh runs many).
step "system tests: convergence under faults (fixed seeds)" cargo test --test convergence -- --nocapture
step "system tests: hostile clients against the real server" cargo test --test hostile -- --nocapture --test-threads=2 --skip a_reader_that_stops_reading
# 10,000 edits keep both cores busy for minutes: alone, so that no timed test runs beside it.
step "system tests: a stalled reader during 10,000 edits" cargo test --test hostile -- --nocapture a_reader_that_stops_reading
# The benchmarks on small loads and the debug build: they must run; their figures are not judged
# here (scripts/bench.sh measures, on release builds).
bench() { target/debug/pm-bench "$@" --server target/debug/sync-server; }
step "benchmark smoke run: ours beside the reference server" bench compare --devices 10 --pairs 2 --keystrokes 10 --documents 5 --readers 2 --idle 20
# Two servers on one Postgres: a document a device asks one for a moment after it reached the
# other must still come (the run fails if a device gets no answer).
step "benchmark smoke run: two servers on one Postgres" bench compare --devices 10 --pairs 2 --keystrokes 10 --documents 5 --readers 2 --idle 20 --no-reference --postgres 2
step "benchmark smoke run: whole app devices typing" bench devices --pairs 2 --keystrokes 10
step "benchmark smoke run: the app's core with a year of data" bench app
step "system tests: the real app (Xvfb, tauri-driver)" with_display cargo test --test app -- --test-threads=1
step "system tests: the phone's web app (headless Chromium as a phone, beside the app)" with_display cargo test --test web -- --test-threads=1

printf '\n\033[1m== Summary\033[0m\n'
disk_report
grep -h -E '^test .* \.\.\. (ok|FAILED|ignored)$' "$log_dir"/*.log | sed 's/^test /  /' | sort | uniq
echo
if grep -q '^ATTACK |' "$log_dir"/*.log 2>/dev/null; then
  echo "Attacks (attack | expected | result | figures):"
  grep -h '^ATTACK |' "$log_dir"/*.log | sed 's/^ATTACK | /  /' | sort -u
  echo
fi
printf '%s\n' "${results[@]}"
if [ -d test-output/screenshots ]; then
  echo
  echo "Screenshots: $root/test-output/screenshots/"
fi
exit $failed
