#!/usr/bin/env bash
# Makes a Docker engine answer on this machine (for testcontainers): installs Debian's docker.io
# and busybox-static when missing (needs root and apt), and starts dockerd by hand when it is not
# running (its service start is blocked here). Idempotent.
set -euo pipefail
say() { printf '[ensure-docker] %s\n' "$*" >&2; }

if ! command -v dockerd >/dev/null || ! command -v busybox >/dev/null; then
  say "installing docker.io and busybox-static with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends docker.io busybox-static >&2
fi

if docker info >/dev/null 2>&1; then
  say "engine answers: $(docker info --format '{{.ServerVersion}}')"
  exit 0
fi

say "starting dockerd"
nohup dockerd >/tmp/dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    say "engine answers: $(docker info --format '{{.ServerVersion}}')"
    exit 0
  fi
  sleep 1
done
say "dockerd did not answer within 60 s; its log:"
tail -20 /tmp/dockerd.log >&2
exit 1
