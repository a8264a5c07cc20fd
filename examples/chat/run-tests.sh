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
# Each test and hook has a 120 s limit in the file; `timeout` also stops a run that hangs
# outside them (a browser or process that outlives its test), with its whole process group.
exec timeout --kill-after=20 240 node --test chat.test.mjs
