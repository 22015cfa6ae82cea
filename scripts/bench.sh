#!/usr/bin/env bash
# The figures of bench/README.md, on release builds: our sync server beside the reference
# JavaScript server (100 and 1,000 devices, 10,000 idle), ours on SQLite and Postgres (one and two
# servers), whole app devices typing, and the app's
# core with a year of data. With arguments, runs only `pm-bench ARGS` (e.g. `compare --idle 500`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release -p sync-server -p pm-bench
# Ten thousand connections, each end in its own process.
ulimit -n "$(ulimit -Hn)"
bench=target/release/pm-bench
if [ $# -gt 0 ]; then
  exec "$bench" "$@"
fi
"$bench" compare --devices 100 --pairs 20 --documents 100 --readers 10 --idle 0 --rounds 2
"$bench" compare --devices 1000 --pairs 200 --documents 100 --readers 100 --idle 0
"$bench" compare --pairs 0 --documents 0 --idle 10000
# Ours on SQLite, on Postgres, and as two servers on one Postgres (devices take turns).
for postgres in "" "--postgres 1" "--postgres 2"; do
  # shellcheck disable=SC2086
  "$bench" compare --devices 1000 --pairs 200 --documents 100 --readers 10 --idle 0 --no-reference $postgres
done
"$bench" devices --pairs 20 --keystrokes 50
"$bench" app
