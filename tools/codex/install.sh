#!/usr/bin/env bash
# Installs the pinned Codex CLI (package.json, package-lock.json) from the npm registry into
# tools/codex/node_modules, unless that very version is already there. The agent module's build runs it.
set -euo pipefail
cd "$(dirname "$0")"
pinned=$(node -p 'require("./package.json").dependencies["@openai/codex"]')
if [ -x node_modules/.bin/codex ] && [ "$(node_modules/.bin/codex --version 2>/dev/null)" = "codex-cli $pinned" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
node_modules/.bin/codex --version
