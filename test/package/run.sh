#!/usr/bin/env bash
# Packs plaid-facade and installs the tarball into a scratch consumer project, as a newcomer would, then:
#  1. runs the import and require() smoke tests with every Node binary given as an argument (default:
#     the one on PATH);
#  2. type-checks an import of every entry (read from the package's `exports`) under TypeScript's
#     node10 (`module: commonjs`), node16 (CommonJS and ESM) and bundler resolution, strict, with
#     `skipLibCheck: false` and without msw installed (an optional peer), with the devDependencies'
#     TypeScript 5.x; then under node16 and bundler with TypeScript 7.x (what `npm install typescript`
#     gives today; node10 resolution is gone there), installed in a folder of its own;
#  3. runs examples/jest (Jest + ts-jest, CommonJS) against the fake Plaid's `fake.listen()`;
#  4. runs the README's Quick start, copied from the packed README, against the fake Plaid (through
#     msw) and the PostgreSQL of PLAID_FACADE_PG_URL (`source .ci/services.sh`; required with CI=true).
# The tools come from the registry at the versions this repository's devDependencies name.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
step() { printf -- '-- %s\n' "$1"; }
dev() { node -p "require('$root/package.json').devDependencies['$1'] ?? process.exit(1)"; }
install() { ( cd "$scratch" && npm install --no-audit --no-fund --silent "$@" ); }

tarball=$(cd "$root" && npm pack --silent --pack-destination "$scratch" | tail -n 1)
cp "$root/test/package/smoke.mjs" "$root/test/package/smoke.cjs" "$scratch/"
cp -R "$root/test/package/consumer/." "$scratch/"
cp -R "$root/examples/jest" "$scratch/jest"
( cd "$scratch" && npm init -y >/dev/null )
install "./$tarball"

nodes=("$@")
[ ${#nodes[@]} -gt 0 ] || nodes=("$(command -v node)")
for node in "${nodes[@]}"; do
  ( cd "$scratch" && "$node" smoke.mjs && "$node" smoke.cjs )
done

step "types: every entry under node10, node16 (CJS, ESM) and bundler, skipLibCheck false, no msw"
install "typescript@$(dev typescript)" "@types/node@$(dev @types/node)" \
  "jest@$(dev jest)" "@jest/globals@$(dev jest)" "ts-jest@$(dev ts-jest)" \
  "@opentelemetry/api@$(dev @opentelemetry/api)"
if [ -e "$scratch/node_modules/msw" ]; then echo "msw is installed in the scratch project: the check would prove nothing" >&2; exit 1; fi
( cd "$scratch" && node write-entries.mjs )
for profile in node10 node16 bundler; do
  ( cd "$scratch" && npx tsc -p "tsconfig.$profile.json" )
  echo "types ok: $profile"
done

step "types with TypeScript 7 (npm's default today): every entry under node16 and bundler"
mkdir "$scratch/ts7"
( cd "$scratch/ts7" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent typescript@7 )
tsc7="$scratch/ts7/node_modules/.bin/tsc"
for profile in node16 bundler; do
  ( cd "$scratch" && "$tsc7" -p "tsconfig.$profile.json" )
  echo "types ok ($("$tsc7" --version)): $profile"
done

step "examples/jest: ts-jest, module commonjs, against fake.listen()"
( cd "$scratch/jest" && npx jest --ci )

step "README Quick start against the fake Plaid"
if [ -z "${PLAID_FACADE_PG_URL:-}" ]; then
  msg="README Quick start: PLAID_FACADE_PG_URL is not set (\`source .ci/services.sh\` starts PostgreSQL and sets it)"
  if [ "${CI:-}" = true ]; then echo "$msg — but CI=true requires it" >&2; exit 1; fi
  echo "$msg: skipped" >&2
  exit 0
fi
install "msw@$(dev msw)" "pg@$(dev pg)" "@types/pg@$(dev @types/pg)"
( cd "$scratch" && node extract-quick-start.mjs && npx tsc -p tsconfig.quick-start.json && node run-quick-start.mjs )
