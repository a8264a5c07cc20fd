#!/usr/bin/env bash
# Installs sdk-js's dev dependencies and runs its unit and browser tests (npm test).
# The browser tests need Debian's Chromium and the server jar (../server/target/realplexor-server.jar,
# or REALPLEXOR_JAR); see README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "run-tests.sh: installing Debian's chromium for the browser tests" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
# Each test and hook has its limit in the test files; `timeout` also stops a run that hangs
# outside them (a browser or server that outlives its test), with its whole process group.
exec timeout --kill-after=20 360 npm test
