#!/usr/bin/env bash
# Runs the chat sandbox's browser test: the real server jar, the chat back end jar and
# Debian's headless Chromium (/usr/bin/chromium; no browser is downloaded). Build the jars
# first (the top-level Maven build packages both). Works from any directory.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/test"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
node --test --test-timeout=120000 chat.test.mjs
