#!/usr/bin/env bash
# Reproduces the figures of docs/benchmarks.md on this machine and writes them to benchmarks/results/.
#   bash benchmarks/run.sh            every figure (about 15 minutes on 2 cores)
#   bash benchmarks/run.sh overhead   figure 1, paired loopback overhead vs the floor (time and bytes per vendor)
#   bash benchmarks/run.sh bdn        figures 1, 1b and 4 with BenchmarkDotNet (generation, translate/parse, quotes)
#   bash benchmarks/run.sh load       figure 2, 100 -> 1,000 -> 10,000 generations in flight through the router
#   bash benchmarks/run.sh webhooks   figure 2b, 10,000 -> 30,000 -> 100,000 Apiframe jobs waiting on webhooks (watchdog polls only)
#   bash benchmarks/run.sh polling    figure 3, adaptive vs fixed 3 s polling on a fake clock
#   bash benchmarks/run.sh fleet      figure 5, 10,000 generations over 4 processes on one PostgreSQL (needs initdb, or root)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
out=benchmarks/results
mkdir -p "$out"
dotnet build benchmarks/MediaGen.Benchmarks -c Release -v q -nologo >/dev/null
bench=(dotnet benchmarks/MediaGen.Benchmarks/bin/Release/net10.0/MediaGen.Benchmarks.dll)

run() { # name, args...
  local name=$1; shift
  echo "== $name: ${bench[*]} $*" >&2
  { echo "<!-- ${bench[*]} $* -->"; "${bench[@]}" "$@"; } > "$out/$name.md"
}

case "$what" in
  overhead|all) run overhead overhead 3000 ;;&
  bdn|all)
    "${bench[@]}" bdn --filter '*' >&2
    for f in benchmarks/MediaGen.Benchmarks/bin/Release/net10.0/BenchmarkDotNet.Artifacts/results/*-report-github.md; do
      cp "$f" "$out/bdn-$(basename "$f" -report-github.md | sed 's/.*\.//').md"
    done ;;&
  polling|all) run polling polling ;;&
  load|all) run load load 100,1000,10000 ;;&
  webhooks|all) run webhooks webhooks 10000,30000,100000 ;;&
  fleet|all) run fleet fleet 10000 ;;&
  overhead|bdn|polling|load|webhooks|fleet|all) ;;
  *) echo "unknown: $what" >&2; exit 2 ;;
esac
{
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, .NET $(dotnet --version), commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ)"
} > "$out/machine.md"
echo "results in $out/" >&2
