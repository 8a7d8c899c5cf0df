#!/bin/sh
# AWS_LAMBDA_EXEC_WRAPPER (set by the CDK stack): Lambda starts the runtime through this script,
# with the runtime's command line as arguments, node first. It adds the V8 flags that
# NODE_OPTIONS refuses. A larger young generation from the start saves the scavenges that
# loading and building the app would otherwise trigger (docs/benchmarks.md). The benchmark reads
# the flags from the exec line below, so what it measures is what Lambda runs.
node="$1"
shift
exec "$node" --min-semi-space-size=12 "$@"
