# Shared by scripts/start, scripts/test and .ci/run: run on the Node.js that Lambda runs (installed
# into .tools/ from the npm registry when the machine has another major), make the pinned pnpm
# available (installed into .tools/ with npm when the machine lacks it) and install the workspace
# from the lockfile. Nothing here depends on a tool installed by hand: Node 20+ and npm are enough.

PNPM_VERSION=12.21.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Lambda's runtime (nodejs24.x), as .nvmrc pins it and package.json's engines declare it.
NODE_VERSION="$(tr -d '[:space:]' <"$ROOT/.nvmrc")"

log() { printf '\033[1m[%s]\033[0m %s\n' "$(basename "$0")" "$*" >&2; }

ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    log "Node.js 20+ with npm is required: install it from https://nodejs.org and run this again."
    exit 1
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt 20 ]; then
    log "Node.js 20+ is required; this machine has $(node --version)."
    exit 1
  fi
  if [ "$major" != "${NODE_VERSION%%.*}" ]; then
    # The registry's node-<os>-<arch> package is the official binary; fetched once, kept in .tools/.
    local package bin
    package="node-$(node -p 'process.platform + "-" + process.arch')"
    bin="$ROOT/.tools/node-$NODE_VERSION/node_modules/$package/bin"
    if [ ! -x "$bin/node" ]; then
      log "installing Node.js $NODE_VERSION (Lambda's runtime; this machine has $(node --version)) into .tools/"
      npm install --prefix "$ROOT/.tools/node-$NODE_VERSION" --no-save --no-fund --no-audit \
        --loglevel=error "$package@$NODE_VERSION" >&2
    fi
    export PATH="$bin:$PATH"
  fi
}

ensure_pnpm() {
  ensure_node
  # Our own pnpm goes first on PATH: CDK's NodejsFunction also runs `pnpm` to bundle.
  export PATH="$ROOT/.tools/node_modules/.bin:$PATH"
  if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
    log "installing pnpm $PNPM_VERSION into .tools/"
    npm install --prefix "$ROOT/.tools" --no-fund --no-audit --loglevel=error "pnpm@$PNPM_VERSION" >&2
  fi
}

install_workspace() {
  ensure_pnpm
  log "installing dependencies (pnpm $(pnpm --version), frozen lockfile)"
  pnpm install --frozen-lockfile --reporter=append-only >&2
}
