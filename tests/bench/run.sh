#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them all. By hand: tests/bench/run.sh (takes a while; paste the tables
# into tests/bench/RESULTS.md). CI: tests/bench/run.sh --quick (tiny sizes; proves the harness still works, no thresholds).
# PostgreSQL runs too when SKILLSREGISTRY_TEST_POSTGRES holds an admin connection string. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
dotnet build tests/bench/SkillsRegistry.Bench/SkillsRegistry.Bench.csproj -c Release -v quiet -nologo
dotnet tests/bench/SkillsRegistry.Bench/bin/Release/net10.0/SkillsRegistry.Bench.dll all "$@"
