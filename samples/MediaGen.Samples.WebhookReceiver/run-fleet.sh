#!/usr/bin/env bash
# Two webhook receivers on one PostgreSQL (docs/fleet.md): starts a throwaway PostgreSQL server from the OS packages, one
# Apiframe emulator, and instances "a" and "b" of this sample in fleet mode. A's public URL is B's address, as a load balancer
# may send a delivery to any instance: the emulator delivers the webhook of A's job to B, B records it in PostgreSQL and
# NOTIFYs, A (LISTENing) ends its wait. Then it asks A for a job, shows B's log line and the job's row, and stops everything.
#   samples/MediaGen.Samples.WebhookReceiver/run-fleet.sh          # the demo, then stop
#   samples/MediaGen.Samples.WebhookReceiver/run-fleet.sh --keep   # leave it running for your own curls (Ctrl+C stops)
# Ports: PG_PORT (55432), EMULATOR_PORT (5090), A_PORT (5081), B_PORT (5082). Needs initdb/pg_ctl/psql (Debian: apt-get
# install -y postgresql) and curl; as root the server runs as the postgres user.
set -euo pipefail
cd "$(dirname "$0")/../.."
PG_PORT=${PG_PORT:-55432} EMULATOR_PORT=${EMULATOR_PORT:-5090} A_PORT=${A_PORT:-5081} B_PORT=${B_PORT:-5082}

pg_bin=$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n1)")")
[ -x "$pg_bin/initdb" ] || { echo "initdb not found: install PostgreSQL (Debian: apt-get install -y postgresql)" >&2; exit 1; }
dotnet build samples/MediaGen.Samples.WebhookReceiver -nologo -v q >/dev/null
app_dir=$PWD/samples/MediaGen.Samples.WebhookReceiver/bin/Debug/net10.0

dir=$(mktemp -d /tmp/mediagen-fleet-sample.XXXXXX)
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; as_pg=(runuser -u postgres --); fi
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

echo "== PostgreSQL on 127.0.0.1:$PG_PORT (data in $dir)"
"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync --locale=C >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
store="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"

wait_for() { # URL LOG: until the URL answers (any HTTP status), or fail with the log
  for _ in $(seq 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "no answer from $1:" >&2; cat "$2" >&2; exit 1
}
start() { # NAME ARGS...: one process of the sample, its output in $dir/NAME.log
  local name=$1; shift
  (cd "$app_dir" && exec dotnet exec MediaGen.Samples.WebhookReceiver.dll "$@") >"$dir/$name.log" 2>&1 &
  pids+=($!)
}

echo "== Apiframe emulator on 127.0.0.1:$EMULATOR_PORT"
start emulator --emulator-only --emulator-port "$EMULATOR_PORT"
wait_for "http://127.0.0.1:$EMULATOR_PORT/" "$dir/emulator.log"
apiframe=(--MediaGen:Apiframe:ApiKey afk_emulator_0123456789abcdef --MediaGen:Apiframe:BaseAddress "http://127.0.0.1:$EMULATOR_PORT/")

echo "== instances a (:$A_PORT) and b (:$B_PORT); a's webhooks are delivered to b"
start b --store "$store" --instance b --port "$B_PORT" --public-url "http://127.0.0.1:$B_PORT/" "${apiframe[@]}"
start a --store "$store" --instance a --port "$A_PORT" --public-url "http://127.0.0.1:$B_PORT/" "${apiframe[@]}"
wait_for "http://127.0.0.1:$A_PORT/" "$dir/a.log"
wait_for "http://127.0.0.1:$B_PORT/" "$dir/b.log"

echo "== POST a/generate (waits for the webhook that b receives)"
key="fleet-demo-$(date +%s)"
time curl -sS -X POST "http://127.0.0.1:$A_PORT/generate" -H 'Content-Type: application/json' \
  -d "{\"prompt\":\"a lighthouse at dusk\",\"idempotencyKey\":\"$key\"}"
echo
echo "== b's log"
grep -E "webhook|published" "$dir/b.log" || true
echo "== the job in PostgreSQL"
psql=$(command -v psql 2>/dev/null || echo "$pg_bin/psql")
"$psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c \
  "SELECT key, state, provider, doc->>'charge' AS charge, lease_owner FROM mediagen_jobs"

if [ "${1:-}" = --keep ]; then
  echo "== running: curl -X POST http://127.0.0.1:$A_PORT/generate -H 'Content-Type: application/json' -d '{\"prompt\":\"…\"}'  (Ctrl+C stops)"
  wait
fi
