#!/usr/bin/env bash
# Builds the DynamoDB Local container image on this machine, with no registry: a FROM-scratch root
# filesystem holding a JRE cut down by jlink from the local JDK 17, the shared libraries it needs,
# busybox (a shell for testcontainers' port wait) and AWS's DynamoDB Local from the npm package
# amplify-dynamodb-simulator. Prints the image name. Rebuilds only when its inputs change.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
EMULATOR="$(cd "$ROOT" && node -p "require('path').join(require('path').dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator')")"
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
BUSYBOX="$(command -v busybox || true)"

for tool in docker "$JAVA_HOME/bin/jlink" "$JAVA_HOME/bin/jdeps"; do
  command -v "$tool" >/dev/null || { echo "build-image: $tool is missing (needs Docker and a JDK 17)" >&2; exit 1; }
done
[ -n "$BUSYBOX" ] && file -L "$BUSYBOX" | grep -q 'statically linked' || {
  echo "build-image: a static busybox is needed (apt-get install busybox-static)" >&2
  exit 1
}

TAG="$(cat "$EMULATOR/sha256" "$0" | sha256sum | cut -c1-12)"
IMAGE="userprofile/dynamodb-local:$TAG"
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "$IMAGE"
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
FS="$WORK/rootfs"
mkdir -p "$FS/opt" "$FS/bin" "$FS/etc" "$FS/tmp" "$FS/data"
chmod 1777 "$FS/tmp" "$FS/data"

modules="$("$JAVA_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 \
  -cp "$EMULATOR/DynamoDBLocal_lib/*" "$EMULATOR/DynamoDBLocal.jar")"
"$JAVA_HOME/bin/jlink" --add-modules "$modules,jdk.crypto.ec,jdk.zipfs" --strip-debug --no-man-pages \
  --no-header-files --compress=2 --output "$FS/opt/jre" 2>/dev/null

mkdir -p "$FS/opt/ddb/DynamoDBLocal_lib"
cp "$EMULATOR/DynamoDBLocal.jar" "$FS/opt/ddb/"
cp "$EMULATOR"/DynamoDBLocal_lib/*.jar "$EMULATOR/DynamoDBLocal_lib/libsqlite4java-linux-amd64.so" \
  "$FS/opt/ddb/DynamoDBLocal_lib/"

# Every shared library the JRE and sqlite4java load, at the path the loader expects.
{
  find "$FS/opt/jre" -type f \( -name java -o -name '*.so' \)
  echo "$FS/opt/ddb/DynamoDBLocal_lib/libsqlite4java-linux-amd64.so"
} | xargs -r ldd 2>/dev/null | grep -v ':$' | grep -o '/[^ ]*\.so[^ ]*' | sort -u | while read -r lib; do
  mkdir -p "$FS$(dirname "$lib")"
  cp -L "$lib" "$FS$lib"
done
for lib in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libresolv.so.2; do
  [ -e "$lib" ] && mkdir -p "$FS$(dirname "$lib")" && cp -L "$lib" "$FS$lib"
done

cp "$BUSYBOX" "$FS/bin/busybox"
for applet in sh cat ls nc true; do ln -s busybox "$FS/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$FS/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$FS/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$FS/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n' >"$FS/etc/hosts"

tar -C "$FS" -c . | docker import \
  -c 'WORKDIR /opt/ddb' \
  -c 'EXPOSE 8000' \
  -c 'ENTRYPOINT ["/opt/jre/bin/java", "-Xmx512m", "-Djava.library.path=/opt/ddb/DynamoDBLocal_lib", "-jar", "/opt/ddb/DynamoDBLocal.jar"]' \
  -c 'CMD ["-inMemory", "-sharedDb", "-port", "8000"]' \
  - "$IMAGE" >/dev/null
echo "$IMAGE"
