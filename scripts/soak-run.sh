#!/usr/bin/env bash
# Soak test of `ispwatch run` (issue 4): many targets on their schedule against loopback nginx and
# nsd, measuring what a regulator's 24/7 watch depends on: probe start lateness, probes lost,
# the prober's CPU and memory over time.
#
#   scripts/soak-run.sh                          # 100,000 targets every 60 s for 10 minutes
#   TARGETS=10000 INTERVAL=1s MIX=http MINUTES=5 scripts/soak-run.sh   # 10,000 HTTP probes/s
#
# Environment: TARGETS (100000), INTERVAL (60s), MINUTES (10), MIX (dns:50,tcp:30,http:20 — kinds
# and percentages, or one kind), PROVIDERS (100), NGINX_WORKERS (1), KEEP (1 keeps the work dir).
# Bounded: the run stops after MINUTES; only loopback servers started here are probed.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=${TARGETS:-100000}
INTERVAL=${INTERVAL:-60s}
MINUTES=${MINUTES:-10}
MIX=${MIX:-dns:50,tcp:30,http:20}
PROVIDERS=${PROVIDERS:-100}
NGINX_WORKERS=${NGINX_WORKERS:-1}

scripts/install-deps.sh >&2
swift build -c release --product ispwatch >&2
ispwatch=$(swift build -c release --show-bin-path)/ispwatch

work=$(mktemp -d /tmp/ispwatch-soak.XXXXXX)
groups=()
run_pid=
cleanup() {
    [ -n "$run_pid" ] && kill -KILL "$run_pid" 2>/dev/null || true
    for group in "${groups[@]}"; do kill -KILL -- "-$group" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ "${KEEP:-0}" = 1 ] && echo "work directory kept: $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

scripts/lab/start-test-servers.sh "$work" "$NGINX_WORKERS" >&2
source "$work/ports.env"
groups+=("$(cat "$work/nginx.pid")" "$(cat "$work/nsd.pid")")

python3 - "$work/soak.yaml" "$TARGETS" "$INTERVAL" "$MIX" "$PROVIDERS" "$HTTP_PORT" "$DNS_PORT" <<'PY'
import sys
path, targets, interval, mix, providers, http_port, dns_port = sys.argv[1:]
targets, providers = int(targets), int(providers)
shares = []
for part in mix.split(","):
    kind, _, share = part.partition(":")
    shares.append((kind, float(share or 100)))
total = sum(share for _, share in shares)
kinds = []
for kind, share in shares:
    kinds += [kind] * round(targets * share / total)
kinds = (kinds + [shares[0][0]] * targets)[:targets]
spec = {
    "dns": f"dns: {{server: 127.0.0.1, port: {dns_port}, query_name: www.isp.test, expect: {{answer_contains: [127.0.0.1]}}}}",
    "tcp": f"tcp: {{host: 127.0.0.1, port: {http_port}}}",
    "http": f"http: {{url: \"http://127.0.0.1:{http_port}/\", expect: {{status: \"200\"}}}}",
}
with open(path, "w") as out:
    out.write(f"vantage: {{id: soak}}\ndefaults: {{interval: {interval}, timeout: 900ms}}\n")
    out.write("scheduler: {max_in_flight: 20000, provider_limits: {max_in_flight: 5000}}\nproviders:\n")
    for p in range(providers):
        out.write(f"  - {{id: p{p}}}\n")
    out.write("targets:\n")
    for t, kind in enumerate(kinds):
        out.write(f"  - {{id: t{t}, provider: p{t % providers}, {spec[kind]}}}\n")
PY

"$ispwatch" run --config "$work/soak.yaml" --data "$work/store" --no-sync --metrics-address 127.0.0.1:0 \
    --log-level notice 2>"$work/run.log" &
run_pid=$!
hz=$(getconf CLK_TCK)
# Until the configuration is loaded and the series registered, the process is not probing yet.
for _ in $(seq 600); do grep -q "run started" "$work/run.log" 2>/dev/null && break; sleep 0.1; done
grep -q "run started" "$work/run.log" || { cat "$work/run.log" >&2; exit 1; }

echo "minute  cpu-cores  rss-MB" >&2
samples="$work/samples.txt"
: > "$samples"
previous=$(awk '{print $14 + $15}' "/proc/$run_pid/stat")
start_rss=
for minute in $(seq "$MINUTES"); do
    for _ in $(seq 6); do
        sleep 10
        ticks=$(awk '{print $14 + $15}' "/proc/$run_pid/stat")
        rss=$(awk '/VmRSS/ {print $2 / 1024}' "/proc/$run_pid/status")
        echo "$(( (ticks - previous) )) $rss" >> "$samples"
        previous=$ticks
    done
    awk -v hz="$hz" -v m="$minute" 'NR > (m - 1) * 6 { cpu += $1; rss = $2 } END {
        printf "%6d  %9.3f  %6.1f\n", m, cpu / hz / 60, rss }' "$samples" >&2
done
kill -TERM "$run_pid"
wait "$run_pid" || true
run_pid=
grep -E "probe loop stopped|run stopped" "$work/run.log" | sed 's/^/  /' >&2

"$ispwatch" export "$work/store" --format csv > "$work/results.csv"
python3 - "$work/results.csv" "$samples" "$hz" "$TARGETS" "$INTERVAL" "$MINUTES" <<'PY'
import csv, sys, datetime
path, samples, hz, targets, interval, minutes = sys.argv[1:]
hz = float(hz)
def ms(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000
lateness, results, failures = [], 0, 0
for row in csv.DictReader(open(path)):
    if not row["scheduled"]:
        continue
    results += 1
    failures += row["success"] != "true"
    lateness.append(ms(row["time"]) - ms(row["scheduled"]))
lateness.sort()
def quantile(q):
    return lateness[min(len(lateness) - 1, int(q * len(lateness)))] if lateness else float("nan")
cpu = [int(line.split()[0]) / hz / 10 for line in open(samples)]
rss = [float(line.split()[1]) for line in open(samples)]
steady = cpu[6:] or cpu  # the first minute includes loading the configuration
print(f"targets {targets} every {interval} for {minutes} min: {results} probes stored, {failures} failed")
print(f"start lateness ms: p50 {quantile(0.5):.0f}  p99 {quantile(0.99):.0f}  p99.9 {quantile(0.999):.0f}  max {lateness[-1] if lateness else 0:.0f}")
print(f"prober CPU cores (10 s samples after the first minute): mean {sum(steady)/len(steady):.3f}  max {max(steady):.3f}")
print(f"prober RSS MB: first {rss[0]:.0f}  after 1 min {rss[min(5, len(rss)-1)]:.0f}  last {rss[-1]:.0f}  max {max(rss):.0f}")
PY
