#!/usr/bin/env bash
# The API contract in CI:
#  1. Redocly lint of the committed OpenAPI document (recommended ruleset; accepted findings are listed in redocly.yaml);
#  2. a TypeScript client generated from it (openapi-typescript) type-checks with tsc --strict: the example client, the
#     partner scenario, and every request example of the document and of README.md (extracted by extract-examples.mjs);
#  3. the partner scenario and the holder scenario (code → session → share → view → revoke) run with node against the
#     service built from this tree, on a loopback port over SQLite.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

cd "$root"
echo "== Redocly lint: openapi/skills-registry.v1.json"
npx --yes @redocly/cli@2 lint openapi/skills-registry.v1.json --config redocly.yaml

cd "$here/typescript"
echo "== npm ci (pinned devDependencies from package-lock.json)"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
echo "== openapi-typescript → schema.d.ts; request examples → examples.generated.ts"
npm run --silent generate
npm run --silent examples
echo "== tsc --strict --noEmit (example.ts, scenario.ts, examples.generated.ts)"
npm run --silent typecheck
npm run --silent build

echo "== the partner scenario against the service"
dotnet build "$root/src/SkillsRegistry.Api/SkillsRegistry.Api.csproj" -v quiet -nologo
api="$root/src/SkillsRegistry.Api/bin/Debug/net10.0/SkillsRegistry.Api.dll"
data="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
settings=(
  "--Database:Provider=Sqlite" "--Database:DataDirectory=$data" "--Database:SeedDemoData=false"
  "--Registry:PublicBaseUrl=http://127.0.0.1:$port" "--Webhooks:PollInterval=00:00:00.200" "--Webhooks:AllowedPrivateHosts:0=127.0.0.1"
  "--Logging:LogLevel:Default=Warning"
)
# The scenario's webhook receiver listens on loopback over plain http: that host is allowed (Webhooks:AllowedPrivateHosts).
export ASPNETCORE_ENVIRONMENT=Development DOTNET_NOLOGO=1
admin_key="$(dotnet "$api" keys create --role admin --name contract-scenario "${settings[@]}" | tail -n 1)"
dotnet "$api" --urls "http://127.0.0.1:$port" "${settings[@]}" > "$data/service.log" 2>&1 &
service=$!
cleanup() { kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$service" 2>/dev/null || { cat "$data/service.log"; exit 1; }
  sleep 1
done
status=0
REGISTRY_URL="http://127.0.0.1:$port" REGISTRY_ADMIN_KEY="$admin_key" REGISTRY_DB="$data/registry.db" \
  node dist/scenario.js || status=$?
if [ "$status" -eq 0 ]; then
  echo "== the holder scenario against the service"
  REGISTRY_URL="http://127.0.0.1:$port" REGISTRY_ADMIN_KEY="$admin_key" node dist/holder-scenario.js || status=$?
fi
if [ "$status" -ne 0 ]; then echo "== service log"; cat "$data/service.log"; exit "$status"; fi
echo "OK: the contract lints, the generated client type-checks, and the partner and holder scenarios passed against the service."
