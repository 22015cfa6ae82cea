#!/usr/bin/env bash
# Starts the sync server (SQLite in ./sync-data) on 127.0.0.1:3030, serving the phone's web app at
# /app/, and the desktop app against it.
# Installs what it needs first (idempotent). Stop with closing the app window or Ctrl-C.
#   PEER_MENTORING_DATA_DIR   where the app keeps its data (default: the platform's app data dir)
#   PM_SYNC_LISTEN / PM_SYNC_DATA_DIR   override the server's address and data directory
#                                      (PM_SYNC_LISTEN=0.0.0.0:3030 lets phones on the network in)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
(cd app && trunk build)
# The same build as scripts/test.sh (the default members, all targets): one set of features, so
# neither rebuilds what the other built.
cargo build --all-targets

listen=${PM_SYNC_LISTEN:-127.0.0.1:3030}
target/debug/sync-server --listen "$listen" --data-dir "${PM_SYNC_DATA_DIR:-sync-data}" --app-dir app/dist &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null' EXIT INT TERM

port=${listen##*:}
host=${listen%:*}
if [ "$host" = 0.0.0.0 ]; then host=$(hostname -I 2>/dev/null | awk '{print $1}'); fi
echo "The web app (for phones): http://${host:-127.0.0.1}:$port/app/"
echo "  Invitation links open it. A phone works offline once the page is served over HTTPS (or"
echo "  from this machine as localhost): put a TLS proxy in front of the server for real use."

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: the sync server runs on http://$listen (Ctrl-C stops it); the app needs a desktop session."
  wait $server
else
  target/debug/peer-mentoring --server "http://$listen"
fi
