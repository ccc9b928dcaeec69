#!/usr/bin/env bash
# SLA queries Q1–Q4: ispwatch (its own store, with and without rollups) against DuckDB and chDB
# (embedded ClickHouse) on the same synthetic history, answers checked against each other.
#
#   scripts/bench-sla.sh                      # 1,200 targets × 30 s × 30 days ≈ 104M results (~35 min)
#   scripts/bench-sla.sh --targets 100 --days 3   # a quick run (~1 min)
#
# Options: --targets N, --days D, --repeat R (timed runs per query after a warm-up, median reported;
# default 3: the peers take up to a minute and a half per exact-quantile query at full size),
# --keep (leave the store and the peers' tables in $BENCH_ROOT, default /tmp/ispwatch-bench),
# --reuse (with data kept by an earlier --keep run of the same size: skip synth, export and loading).
# Needs python3 (with venv) and network access to PyPI for duckdb and chdb; everything generated
# stays under $BENCH_ROOT, and the exported CSV is deleted once both peers have loaded it.
set -euo pipefail

TARGETS=1200
DAYS=30
REPEAT=3
KEEP=0
REUSE=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --targets) TARGETS="$2"; shift 2 ;;
        --days) DAYS="$2"; shift 2 ;;
        --repeat) REPEAT="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --reuse) REUSE=1; KEEP=1; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "bench-sla: unknown option $1" >&2; exit 2 ;;
    esac
done

ROOT="${BENCH_ROOT:-/tmp/ispwatch-bench}"
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
START="2027-01-01T00:00:00Z"
FROM_MS=$(date -u -d "$START" +%s)000
TO_MS=$(( FROM_MS + DAYS * 86400000 ))
began=$(date +%s)
step() { echo "bench-sla: [$(( $(date +%s) - began )) s] $*" >&2; }

mkdir -p "$ROOT"
step "release build"
(cd "$REPO" && swift build -c release --product ispwatch >/dev/null)
BIN="$(cd "$REPO" && swift build -c release --show-bin-path)/ispwatch"

if [[ ! -x "$ROOT/venv/bin/python" ]]; then
    step "virtualenv with duckdb and chdb"
    python3 -m venv "$ROOT/venv"
fi
"$ROOT/venv/bin/pip" install --quiet --disable-pip-version-check duckdb chdb numpy
"$ROOT/venv/bin/python" -c 'import duckdb, chdb; print("bench-sla: duckdb", duckdb.__version__, "chdb", chdb.__version__)' >&2

STORE="$ROOT/store"
CSV="$ROOT/results.csv"
SIZE="$TARGETS targets × 30 s × $DAYS days"
if [[ $REUSE -eq 1 && -f "$ROOT/size" && "$(cat "$ROOT/size")" == "$SIZE" && -d "$STORE" && -f "$ROOT/peers.duckdb" && -d "$ROOT/chdb" ]]; then
    step "reusing the store and the peers' tables of an earlier run ($SIZE)"
    rm -f "$STORE"/*.rollup
else
    rm -rf "$STORE" "$ROOT/peers.duckdb" "$ROOT/chdb" "$CSV" "$ROOT/size"

    step "synth: $SIZE"
    "$BIN" synth "$STORE" --targets "$TARGETS" --days "$DAYS" --interval 30 --start "$START" --no-phases --seed 7 >&2

    step "export to CSV"
    "$BIN" export "$STORE" --out "$CSV"
    ls -l "$CSV" >&2

    step "load into DuckDB and chDB (sorted by target and time; not timed against ispwatch)"
    "$ROOT/venv/bin/python" "$HERE/bench-sla/load.py" "$CSV" "$ROOT/peers.duckdb" "$ROOT/chdb"
    rm -f "$CSV"
    echo "$SIZE" > "$ROOT/size"
fi

step "build rollup files (once; their cost is reported, the figures with rollups below read them)"
rollup_began=$(date +%s%N)
"$BIN" query "$STORE" --from "$(date -u -d @"${FROM_MS%000}" +%Y-%m-%dT%H:%M:%SZ)" \
    --to "$(date -u -d @"$(( TO_MS / 1000 ))" +%Y-%m-%dT%H:%M:%SZ)" --rollups build --format csv >/dev/null
rollup_ms=$(( ($(date +%s%N) - rollup_began) / 1000000 ))
rollup_bytes=$(cat "$STORE"/*.rollup | wc -c)
sealed_bytes=$(cat "$STORE"/*.sealed | wc -c)
echo "bench-sla: rollups built in ${rollup_ms} ms: $(ls "$STORE"/*.rollup | wc -l) files, $rollup_bytes bytes (sealed segments: $sealed_bytes bytes)" >&2

step "queries"
set +e
"$ROOT/venv/bin/python" "$HERE/bench-sla/run.py" --bin "$BIN" --store "$STORE" --duckdb "$ROOT/peers.duckdb" \
    --chdb "$ROOT/chdb" --from-ms "$FROM_MS" --to-ms "$TO_MS" --target target-1 --repeat "$REPEAT" \
    --out "$ROOT/results.json"
status=$?
set -e
echo "rollup build: ${rollup_ms} ms, rollup files $rollup_bytes bytes beside $sealed_bytes bytes of sealed segments"
echo "results: $(( TARGETS * DAYS * 2880 )) ($TARGETS targets × $DAYS days × 2,880 per day); total script time $(( $(date +%s) - began )) s"

if [[ $KEEP -eq 0 ]]; then rm -rf "$STORE" "$ROOT/peers.duckdb" "$ROOT/chdb" "$ROOT/size"; fi
exit $status
