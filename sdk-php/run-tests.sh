#!/usr/bin/env bash
# Runs the PHP SDK's tests against the real server jar (server/target/realplexor-server.jar,
# or $REALPLEXOR_JAR). Works from any directory and needs no network: Debian's php-cli and
# phpunit (apt-get install php-cli phpunit) stand in for Composer.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

for tool in php phpunit java; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "run-tests.sh: '$tool' not found (Debian: apt-get install php-cli phpunit default-jre-headless)" >&2
        exit 2
    fi
done

exec phpunit -c "$here/phpunit.xml.dist" "$@"
