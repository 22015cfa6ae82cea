#!/usr/bin/env bash
# Installs everything this project needs on a Debian 12 machine, idempotently.
# Downloads only from the package registries.
#   scripts/setup.sh          everything (run and test)
#   scripts/setup.sh run      what `scripts/run.sh` needs
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-all}

TRUNK_VERSION=0.21.14
TAURI_DRIVER_VERSION=2.1.0

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages=(build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev
  libsoup-3.0-dev librsvg2-dev binaryen)
if [ "$want" = all ]; then
  # e2fsprogs and util-linux: the disk tests make small ext4 and tmpfs disks to fail.
  apt_packages+=(xvfb webkit2gtk-driver imagemagick poppler-utils e2fsprogs util-linux)
  # The phone's web app is tested in Debian's Chromium, headless, through its driver.
  apt_packages+=(chromium chromium-driver)
  # Several sync servers on one database are tested on a Postgres cluster of the test's own.
  apt_packages+=(postgresql)
fi

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt: installing ${missing[*]}"
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get update -q
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  log "apt: all ${#apt_packages[@]} packages present"
fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "rustup: adding wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

installed() { cargo install --list | grep -q "^$1 v$2:"; }

cargo_tool() { # name version
  if installed "$1" "$2"; then
    log "cargo: $1 $2 present"
  else
    log "cargo: installing $1 $2 (takes minutes on a cold machine)"
    cargo install "$1" --version "=$2" --locked || cargo install "$1" --version "=$2"
  fi
}

cargo_tool trunk "$TRUNK_VERSION"
# npm packages of a directory, at the versions its package-lock.json pins: dir, a file that shows
# they are installed, what they are for.
npm_packages() {
  if [ ! -e "$1/node_modules/$2" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
    log "npm: installing $3"
    (cd "$1" && npm install --no-audit --no-fund)
  else
    log "npm: $3 present"
  fi
}
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock exactly.
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
cargo_tool wasm-bindgen-cli "$wb_version"
if [ "$want" = all ]; then
  cargo_tool tauri-driver "$TAURI_DRIVER_VERSION"
  # The JavaScript automerge-repo client of the interop test, at the versions package.json pins.
  if ! command -v npm >/dev/null; then
    log "apt: installing nodejs npm"
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm
  fi
  npm_packages tests/interop @automerge/automerge-repo-network-websocket "the interop test's client"
  # axe-core, which the app tests run in the webview on every screen, at the version pinned.
  npm_packages tests/a11y axe-core/axe.min.js "axe-core for the accessibility checks"
  # The reference JavaScript sync server that pm-bench measures ours against.
  npm_packages bench/reference @automerge/automerge-repo-sync-server/src/index.js "the reference sync server"
fi
log "done"
