#!/bin/sh
# Makes a Lambda asset's V8 code cache inside AWS's Lambda base image of the function's runtime
# and architecture, so that the cache is made by the very Node binary that will load it. The CDK
# stack runs this after bundling when `codeCacheImage` is set (and pins the function's runtime
# version with `runtimeVersionArn`, so that Lambda keeps running that binary). It needs a Docker
# engine that can run linux/arm64 images (natively, or through QEMU's binfmt on x86_64); the
# image is pulled from Amazon ECR Public.
# Usage: make-code-cache-in-lambda-image.sh <image> <asset dir>   (the asset holds index.js, app.js)
set -eu
image="$1"
asset="$2"
here="$(cd "$(dirname "$0")" && pwd)"
# The flags the function's exec wrapper starts Node with: a cache is made under the same flags.
flags="$(sed -n 's/^exec "\$node" \(.*\) "\$@"$/\1/p' "$here/../lambda-node-flags.sh")"
# shellcheck disable=SC2086 # the flags are words
exec docker run --rm --platform linux/arm64 --network none \
  --volume "$asset:/var/task" --volume "$here:/opt/code-cache:ro" \
  --entrypoint /var/lang/bin/node "$image" $flags /opt/code-cache/make-code-cache.cjs /var/task
