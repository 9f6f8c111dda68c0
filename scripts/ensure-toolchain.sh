#!/bin/sh
# Makes sure the project's own Node 24 and a complete dependency tree are installed.
#
# The machines we target ship Node 20. Hardhat 3 needs Node >= 22.13 and node-seal 7
# needs Node 24, and npm running on Node 20 silently skips Hardhat's native EDR package.
# So the first npm script run on a fresh clone (every script in package.json has this as its
# `pre` hook: `npm start`, `npm test`, `npm run demo`, `npm run bazaar`, ...) installs the `node` package
# (Node 24) with npm running on Node 24, and every later npm script finds that Node
# first on its PATH (node_modules/.bin). The install is redone whenever package.json,
# sdk/package.json (the @modelbazaar/sdk workspace) or package-lock.json changes, or when
# the tree lacks EDR's native binding or the workspace's link node_modules/@modelbazaar/sdk.
set -eu
cd "$(dirname "$0")/.."

# onnxruntime-node's postinstall would download binaries; the CPU ones ship in the package.
export ONNXRUNTIME_NODE_INSTALL=skip

stamp=.toolchain-stamp
want=$(cat package.json sdk/package.json package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)
local_node=node_modules/.bin/node

healthy() {
  [ -x "$local_node" ] || return 1
  case "$("$local_node" --version 2>/dev/null)" in v24.*) ;; *) return 1 ;; esac
  [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] || return 1
  # EDR is Hardhat's native simulator; loading it proves the platform binding is present.
  "$local_node" -e "require('@nomicfoundation/edr')" >/dev/null 2>&1 || return 1
  # npm links the SDK workspace; app/, the worker, scripts/ and test/ import it by its name.
  [ -f node_modules/@modelbazaar/sdk/package.json ] || return 1
}

# Installs a Debian package for the tests when `present` (a command) fails and this user may;
# otherwise says which tests will skip. Usage: ensure_debian_package <package> <what needs it> <present...>
ensure_debian_package() {
  package=$1 needed_by=$2
  shift 2
  "$@" && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-toolchain: installing Debian's $package for $needed_by..." >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package"; } >/dev/null 2>&1 ||
      echo "ensure-toolchain: could not install $package; $needed_by will be skipped." >&2
  else
    echo "ensure-toolchain: $package is missing; $needed_by will be skipped (apt-get install $package)." >&2
  fi
}

# The browser tests and benchmarks drive Debian's Chromium (playwright-core never downloads a
# browser); the scale-out tests and bench:worker start Debian's redis-server themselves.
ensure_debian_package chromium "the browser tests" test -x "${CHROMIUM_PATH:-/usr/bin/chromium}"
ensure_debian_package redis-server "the scale-out worker tests and bench:worker" test -x "${REDIS_SERVER_PATH:-/usr/bin/redis-server}"

if healthy; then exit 0; fi

echo "ensure-toolchain: installing dependencies with Node 24 (first run or changed manifest)..." >&2
if [ -x "$local_node" ] && "$local_node" --version 2>/dev/null | grep -q '^v24\.'; then
  PATH="$PWD/node_modules/.bin:$PATH" npm install --no-audit --no-fund
else
  node_version=$(sed -n 's/.*"node": "\([0-9.]*\)".*/\1/p' package.json | head -n 1)
  npx --yes -p "node@${node_version}" -c 'npm install --no-audit --no-fund'
fi

if ! "$local_node" -e "require('@nomicfoundation/edr')" >/dev/null 2>&1; then
  echo "ensure-toolchain: Hardhat's native EDR package is missing after install; run 'rm -rf node_modules && npm test' to reinstall." >&2
  exit 1
fi
if [ ! -f node_modules/@modelbazaar/sdk/package.json ]; then
  echo "ensure-toolchain: npm did not link the SDK workspace (node_modules/@modelbazaar/sdk); run 'rm -rf node_modules && npm test' to reinstall." >&2
  exit 1
fi
want=$(cat package.json sdk/package.json package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)
echo "$want" > "$stamp"
echo "ensure-toolchain: ready ($("$local_node" --version), EDR present)." >&2
