#!/usr/bin/env bash
# Installs the pinned puppeteer-core (package.json, package-lock.json) from the npm registry into
# tools/browser/node_modules, unless that very version is already there; it downloads no browser (the test drives
# Debian's chromium, which .ci/run installs). The processes module's build runs it.
set -euo pipefail
cd "$(dirname "$0")"
pinned=$(node -p 'require("./package.json").dependencies["puppeteer-core"]')
if [ "$(node -p 'try { require("puppeteer-core/package.json").version } catch { "" }' 2>/dev/null)" = "$pinned" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
