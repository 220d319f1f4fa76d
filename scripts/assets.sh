#!/usr/bin/env bash
# Install the front-end assets from npm and copy their dist files into anjian/static/vendor/.
# No CDN anywhere: the UI must work on an intranet (ARCHITECTURE.md, UI row).
# Idempotent: does nothing when node_modules matches package-lock.json and the copies are current.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENDOR="anjian/static/vendor"
STAMP="node_modules/.anjian-assets-stamp"

command -v npm >/dev/null || { echo "assets.sh: npm 未安装(apt-get install npm)" >&2; exit 1; }

lock_hash() { sha256sum package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1; }

if [[ -f package-lock.json && -f "$STAMP" && "$(cat "$STAMP")" == "$(lock_hash)" && -d node_modules/bootstrap ]]; then
  : # node_modules already matches the lock file
else
  if [[ -f package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
  lock_hash >"$STAMP"
fi

# copy SRC DEST: only when missing or different (rsync-free, keeps mtimes for whitenoise/collectstatic).
copy() {
  local src="$1" dest="$2"
  mkdir -p "$(dirname "$dest")"
  if [[ ! -f "$dest" ]] || ! cmp -s "$src" "$dest"; then
    cp -p "$src" "$dest"
  fi
}

NM=node_modules
copy "$NM/bootstrap/dist/css/bootstrap.min.css" "$VENDOR/bootstrap/css/bootstrap.min.css"
copy "$NM/bootstrap/dist/css/bootstrap.min.css.map" "$VENDOR/bootstrap/css/bootstrap.min.css.map"
copy "$NM/bootstrap/dist/js/bootstrap.bundle.min.js" "$VENDOR/bootstrap/js/bootstrap.bundle.min.js"
copy "$NM/bootstrap/dist/js/bootstrap.bundle.min.js.map" "$VENDOR/bootstrap/js/bootstrap.bundle.min.js.map"
copy "$NM/bootstrap-icons/font/bootstrap-icons.min.css" "$VENDOR/bootstrap-icons/font/bootstrap-icons.min.css"
for f in "$NM"/bootstrap-icons/font/fonts/*; do
  copy "$f" "$VENDOR/bootstrap-icons/font/fonts/$(basename "$f")"
done
copy "$NM/echarts/dist/echarts.min.js" "$VENDOR/echarts/echarts.min.js"
copy "$NM/echarts/LICENSE" "$VENDOR/echarts/LICENSE"
copy "$NM/bootstrap/LICENSE" "$VENDOR/bootstrap/LICENSE"
copy "$NM/bootstrap-icons/LICENSE" "$VENDOR/bootstrap-icons/LICENSE"

echo "assets: bootstrap $(node -p "require('./$NM/bootstrap/package.json').version"), bootstrap-icons $(node -p "require('./$NM/bootstrap-icons/package.json').version"), echarts $(node -p "require('./$NM/echarts/package.json').version") → $VENDOR"
