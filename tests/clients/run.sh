#!/usr/bin/env bash
# The API contract in CI: lint the committed OpenAPI document with Redocly CLI (zero errors; accepted warnings are listed
# in redocly.yaml), generate a TypeScript client from it with openapi-typescript, and type-check an example that uses it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

cd "$root"
echo "== Redocly lint: openapi/skills-registry.v1.json"
npx --yes @redocly/cli@2 lint openapi/skills-registry.v1.json --config redocly.yaml

cd "$here/typescript"
echo "== npm ci (pinned devDependencies from package-lock.json)"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
echo "== openapi-typescript → schema.d.ts"
npm run --silent generate
echo "== tsc --noEmit"
npm run --silent typecheck
echo "OK: the contract lints and a generated TypeScript client type-checks."
