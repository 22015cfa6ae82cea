#!/usr/bin/env bash
# Figures for the phone's web app on a release build (not part of the test command): the bundle's
# size, raw and gzipped; cold and warm start to the first screen in headless Chromium as a phone;
# the browser's memory then. Prints one line starting with "WEB |".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
out=target/web-release
(cd app && trunk build --release --cargo-profile web --dist "../$out")
cargo build --all-targets
PM_WEB_APP_DIR=$out cargo test --test web -- --ignored --nocapture web_app_figures 2>&1 | grep '^WEB |'
