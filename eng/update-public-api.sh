#!/usr/bin/env bash
# Records the libraries' public surface in PublicAPI.Unshipped.txt (PublicApiAnalyzers' code fix for RS0016),
# so a change to the public API shows up as a diff in review. Run it after changing a public member, then read the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet restore MediaGen.sln >/dev/null
for proj in src/MediaGen/MediaGen.csproj src/MediaGen.Testing/MediaGen.Testing.csproj src/MediaGen.Extensions.AI/MediaGen.Extensions.AI.csproj \
            providers/*/*.csproj src/MediaGen.*/MediaGen.*.csproj; do
  dir=$(dirname "$proj")
  [ -f "$dir/PublicAPI.Unshipped.txt" ] || continue
  # Nothing has shipped: the unshipped file is the whole surface, recorded afresh (the analyzer's fix-all does not
  # reliably remove stale lines next to new ones). It is sorted below, so the diff shows exactly what changed.
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  dotnet format analyzers "$proj" --diagnostics RS0016 RS0036 RS0037 --severity info --no-restore >/dev/null 2>&1 || true
done
# Keep the files sorted, so a diff shows only what changed.
for f in $(git ls-files -co --exclude-standard '*PublicAPI.Unshipped.txt' '*PublicAPI.Shipped.txt'); do
  { grep -x '#nullable enable' "$f" || true; grep -vx '#nullable enable' "$f" | LC_ALL=C sort -u; } > "$f.tmp" && mv "$f.tmp" "$f"
done
