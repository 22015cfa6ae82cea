#!/usr/bin/env bash
# Measures what an edit takes to reach the other device through the real sync server, on release
# builds (bench/README.md). Arguments go to pm-bench: --pairs N --keystrokes K.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release -p sync-server -p pm-bench
for run in 1 2 3; do
  target/release/pm-bench "$@"
done
