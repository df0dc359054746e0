#!/usr/bin/env bash
# Packs plaid-facade, installs the tarball into a scratch consumer project, and runs the import and
# require() smoke tests with every Node binary given as an argument (default: the one on PATH).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tarball=$(cd "$root" && npm pack --silent --pack-destination "$scratch" | tail -n 1)
cp "$root/test/package/smoke.mjs" "$root/test/package/smoke.cjs" "$scratch/"
( cd "$scratch" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent "./$tarball" )
nodes=("$@")
[ ${#nodes[@]} -gt 0 ] || nodes=("$(command -v node)")
for node in "${nodes[@]}"; do
  ( cd "$scratch" && "$node" smoke.mjs && "$node" smoke.cjs )
done
