#!/usr/bin/env bash
# Checks what a release of realplexor-client publishes, the way a consumer meets it: installs
# sdk-java alone (tests skipped; javadoc with doclint, sources, flattened POM) into a fresh local
# repository that has no org.realplexor artifacts, checks the installed files, then builds and
# runs src/test/consumer (an outside project depending on the client) offline against that
# repository. The parent POM is never installed, so the consumer's build fails if the published
# POM still needs it. Needs no network: every other artifact comes from ~/.m2 (symlinked).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
m2="${MAVEN_LOCAL_REPO:-$HOME/.m2/repository}"
work="$(mktemp -d --suffix=-realplexor-publish)"
trap 'rm -rf "$work"' EXIT
repo="$work/m2"

# The local repository: everything of ~/.m2 except org/realplexor, linked, so that Maven finds
# its plugins offline while any realplexor artifact it sees is one installed below.
mkdir -p "$repo/org"
for d in "$m2"/*; do [ "$(basename "$d")" = org ] || ln -s "$d" "$repo/"; done
for d in "$m2"/org/*; do [ "$(basename "$d")" = realplexor ] || ln -s "$d" "$repo/org/"; done

version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$here/pom.xml" | head -1)"
echo "== install realplexor-client $version into $repo"
mvn -B -ntp -q -o -Dmaven.repo.local="$repo" -f "$here/pom.xml" install -DskipTests

fail() { echo "publish-check: $*" >&2; exit 1; }
dir="$repo/org/realplexor/realplexor-client/$version"
for f in "realplexor-client-$version.jar" "realplexor-client-$version-sources.jar" \
         "realplexor-client-$version-javadoc.jar" "realplexor-client-$version.pom"; do
  [ -s "$dir/$f" ] || fail "missing $f"
done
[ "$(ls "$repo/org/realplexor")" = realplexor-client ] || fail "more than the client installed: $(ls "$repo/org/realplexor")"
pom="$dir/realplexor-client-$version.pom"
! grep -q '<parent>' "$pom" || fail "the installed POM still names a parent"
for tag in '<url>' '<license>' '<name>MIT License</name>' '<scm>' '<developer>' '<artifactId>jackson-databind</artifactId>'; do
  grep -q "$tag" "$pom" || fail "the installed POM has no $tag"
done
# (listings are taken whole before grep reads them: grep -q stopping early would SIGPIPE unzip,
# and pipefail would take that for a failure)
grep -q '^Automatic-Module-Name: org.realplexor.client' <<<"$(unzip -p "$dir/realplexor-client-$version.jar" META-INF/MANIFEST.MF)" \
  || fail "no Automatic-Module-Name in the manifest"
grep -q 'org/realplexor/client/Realplexor.java' <<<"$(unzip -l "$dir/realplexor-client-$version-sources.jar")" || fail "sources jar lacks Realplexor.java"
grep -q 'org/realplexor/client/Realplexor.html' <<<"$(unzip -l "$dir/realplexor-client-$version-javadoc.jar")" || fail "javadoc jar lacks Realplexor.html"

echo "== build a consumer offline against it"
cp -r "$here/src/test/consumer" "$work/consumer"
cd "$work/consumer"
mvn -B -ntp -q -o -Dmaven.repo.local="$repo" -Dclient.version="$version" compile \
  dependency:copy-dependencies -DoutputDirectory="$work/consumer/target/lib"
out="$(java --module-path target/lib --add-modules ALL-MODULE-PATH -cp target/classes demo.Consumer)"
echo "$out"
[ "$out" = 'namespace=demo_ raw={"n":1} module=org.realplexor.client' ] || fail "the consumer printed: $out"
echo "publish-check: OK"
