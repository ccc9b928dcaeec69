#!/usr/bin/env bash
# Load on the server's /api/v1/sla: wrk against `ispwatch serve` over a 30-day store of 1,000
# targets (ispwatch synth), while an `ispwatch run` writes a second store the same server reads.
# Everything listens on 127.0.0.1 and stops by itself; wrk runs for a fixed time.
#
#   scripts/bench-server.sh                          # 1,000 targets × 60 s × 30 days = 43.2M results
#   scripts/bench-server.sh --targets 100 --days 3   # a quick run
#
# Options: --targets N, --days D, --duration S (wrk seconds per route, default 30), --connections C
# (default 8), --keep (leave $BENCH_ROOT, default /tmp/ispwatch-bench-server). Needs wrk
# (ISPWATCH_BENCH_DEPS=1 scripts/install-deps.sh) and curl.
set -euo pipefail

TARGETS=1000
DAYS=30
DURATION=30
CONNECTIONS=8
KEEP=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --targets) TARGETS="$2"; shift 2 ;;
        --days) DAYS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "bench-server: unknown option $1" >&2; exit 2 ;;
    esac
done
command -v wrk >/dev/null || { echo "bench-server: wrk is missing: ISPWATCH_BENCH_DEPS=1 scripts/install-deps.sh" >&2; exit 2; }

ROOT="${BENCH_ROOT:-/tmp/ispwatch-bench-server}"
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
began=$(date +%s)
step() { echo "bench-server: [$(( $(date +%s) - began )) s] $*" >&2; }
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    [[ $KEEP -eq 1 ]] || rm -rf "$ROOT"
}
trap cleanup EXIT

rm -rf "$ROOT" && mkdir -p "$ROOT"
step "release build"
(cd "$REPO" && swift build -c release --product ispwatch >/dev/null)
BIN="$(cd "$REPO" && swift build -c release --show-bin-path)/ispwatch"

# The history ends at the last whole UTC day, so the query's range lies on minutes (rollups answer).
END_S=$(( $(date -u +%s) / 86400 * 86400 ))
START="$(date -u -d "@$(( END_S - DAYS * 86400 ))" +%Y-%m-%dT%H:%M:%SZ)"
step "synth: $TARGETS targets × 60 s × $DAYS days from $START"
"$BIN" synth "$ROOT/history" --targets "$TARGETS" --days "$DAYS" --interval 60 --providers 8 --start "$START" >&2

ADMIN="bench-admin-$(date +%s%N)"
HASH=$(printf %s "$ADMIN" | sha256sum | cut -c1-64)
cat > "$ROOT/server.yaml" <<YAML
server:
  tokens:
    - {hash: "sha256:$HASH", role: admin}
  rate_limit: {requests_per_second: 1000000, burst: 1000000}
YAML
# The writing run: 200 TCP targets on loopback port 1 (refused at once), one probe a second each.
{
    echo "vantage: {id: bench-writer}"
    echo "defaults: {interval: 1s, timeout: 500ms}"
    echo "providers: [{id: writer}]"
    echo "targets:"
    for i in $(seq 1 200); do echo "  - {id: writer-$i, provider: writer, service: gw, tcp: {host: 127.0.0.1, port: 1}}"; done
} > "$ROOT/run.yaml"

step "ispwatch run writing $ROOT/live"
"$BIN" run --config "$ROOT/run.yaml" --data "$ROOT/live" --metrics-address 127.0.0.1:0 --no-sync 2>"$ROOT/run.log" &
pids+=($!)
step "ispwatch serve over the history and the live store"
"$BIN" serve --config "$ROOT/server.yaml" --data "$ROOT/history" --data "$ROOT/live" --address 127.0.0.1:0 \
    --log-level notice 2>"$ROOT/serve.log" &
pids+=($!)
for _ in $(seq 1 100); do grep -q "serve.port=" "$ROOT/serve.log" && break; sleep 0.1; done
PORT=$(grep -o 'serve.port=[0-9]*' "$ROOT/serve.log" | head -1 | cut -d= -f2)
[[ -n "$PORT" ]] || { echo "bench-server: serve did not start:" >&2; cat "$ROOT/serve.log" >&2; exit 1; }
sleep 3

FROM="$START"
TO="$(date -u -d "@$END_S" +%Y-%m-%dT%H:%M:%SZ)"
BASE="http://127.0.0.1:$PORT"
declare -A routes=(
    [sla-provider]="/api/v1/sla?from=$FROM&to=$TO&group_by=provider"
    [sla-target-day]="/api/v1/sla?from=$FROM&to=$TO&group_by=provider&bucket=day&timezone=UTC"
)
step "warm-up (builds the rollups of the sealed segments once)"
for name in "${!routes[@]}"; do
    curl -sf -o /dev/null -w "bench-server: first $name %{time_total} s\n" -H "Authorization: Bearer $ADMIN" "$BASE${routes[$name]}" >&2
done
results_before=$(curl -sf -H "Authorization: Bearer $ADMIN" "$BASE/api/v1/sla?group_by=provider&from=$(date -u -d '-10 min' +%Y-%m-%dT%H:%M:00Z)" \
    | grep -o '"results":[0-9]*' | cut -d: -f2 | paste -sd+ | bc)
for name in sla-provider sla-target-day; do
    step "wrk $name: $CONNECTIONS connections, 2 threads, ${DURATION}s"
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency -H "Authorization: Bearer $ADMIN" "$BASE${routes[$name]}" \
        | tee "$ROOT/wrk-$name.txt"
done
results_after=$(curl -sf -H "Authorization: Bearer $ADMIN" "$BASE/api/v1/sla?group_by=provider&from=$(date -u -d '-10 min' +%Y-%m-%dT%H:%M:00Z)" \
    | grep -o '"results":[0-9]*' | cut -d: -f2 | paste -sd+ | bc)
echo "bench-server: results in the last 10 min as served: $results_before before the load, $results_after after (run kept writing)"
grep -q "ispwatch run started" "$ROOT/run.log" || { echo "bench-server: run did not start:" >&2; cat "$ROOT/run.log" >&2; exit 1; }
step "done"
