#!/usr/bin/env bash
# base-image.sh OUT.tar: the container image's base, built from Debian packages alone (no
# container registry, no daemon): a minimal Debian 12 root file system with
# openjdk-17-jre-headless (mmdebstrap), saved in the `docker save` tar layout that jib reads as
# from.image=tar://OUT.tar. Also carries what jib takes over from a base image but cannot set
# itself: the HEALTHCHECK (GET /health on the admin line, REALPLEXOR_ADMIN_ADDR, via bash's
# /dev/tcp: no curl in the image). Needs root (or mmdebstrap's unshare mode) and about 90 s;
# skipped when OUT.tar exists (delete it to rebuild, e.g. for security updates).
set -euo pipefail
out="$(realpath -m "$1")"
[ -s "$out" ] && { echo "base image: $out exists, kept"; exit 0; }
command -v mmdebstrap >/dev/null || { echo "base-image.sh: needs mmdebstrap (apt-get install mmdebstrap)" >&2; exit 1; }
mirror="${REALPLEXOR_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The server's user: uid/gid 10001, no home, no shell; the image runs as it (numeric, so that
# runtimes can check it is not root).
mmdebstrap --quiet --variant=essential --include=openjdk-17-jre-headless \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
  --customize-hook='echo "realplexor:x:10001:10001:realplexor:/nonexistent:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --customize-hook='echo "realplexor:x:10001:" >> "$1/etc/group"' \
  bookworm "$work/layer.tar" "$mirror"
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64"],
  "Healthcheck":{"Test":["CMD","bash","-c","a=\${REALPLEXOR_ADMIN_ADDR:-127.0.0.1:10011}; exec 3<>/dev/tcp/\${a%:*}/\${a##*:} && printf 'GET /health HTTP/1.0\\\\r\\\\n\\\\r\\\\n' >&3 && head -c 12 <&3 | grep -q ' 200'"],
   "Interval":10000000000,"Timeout":3000000000,"StartPeriod":20000000000,"Retries":3}},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]}}
JSON
echo '[{"Config":"config.json","RepoTags":["realplexor-base:bookworm"],"Layers":["layer.tar"]}]' > "$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$work" -cf "$out.part" manifest.json config.json layer.tar
mv "$out.part" "$out"
echo "base image: $out ($(du -h "$out" | cut -f1))"
