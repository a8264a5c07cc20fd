#!/usr/bin/env bash
# Browser test of the legacy IFRAME path: installs playwright-core (never a browser: the test
# drives Debian's /usr/bin/chromium) and runs the suite against server/target/realplexor-server.jar,
# which must be built first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund
else
    npm install --no-audit --no-fund
fi
# Each test and hook has a 60 s limit in its file; `timeout` also stops a run that hangs
# outside them (a browser or server that outlives its test), with its whole process group.
exec timeout --kill-after=20 250 node --test --test-concurrency=1 jsonp.test.mjs iframe.test.mjs tls.test.mjs h2.test.mjs admin.test.mjs
