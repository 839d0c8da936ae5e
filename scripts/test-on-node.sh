#!/usr/bin/env bash
# Runs the test suite (vitest; arguments pass through) on another Node.js major version, e.g.
#   scripts/test-on-node.sh 22 --exclude 'test/e2e/**'
# The Node binary comes from scripts/node-bin.sh. The build (dist/) must exist: it is plain
# JavaScript, the same for every Node version. Spawned panka processes run on the same Node (the
# tests spawn process.execPath, and PATH leads with it).
set -euo pipefail
major="$1"
shift
repo="$(cd "$(dirname "$0")/.." && pwd)"
bin="$("$repo/scripts/node-bin.sh" "$major")"
echo "running the tests on Node $("$bin/node" --version)"
cd "$repo"
PATH="$bin:$PATH" exec "$bin/node" node_modules/vitest/vitest.mjs run "$@"
