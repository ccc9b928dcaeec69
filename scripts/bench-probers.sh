#!/usr/bin/env bash
# Measures ispwatch's probers against prometheus-blackbox-exporter on the same targets, on this
# machine, in one run, and prints probes/s, prober CPU-µs per probe and the ratios.
#
# Starts its own nginx (HTTP and HTTPS) and nsd (DNS) on loopback, and blackbox_exporter on
# loopback; stops them all on exit. Every load is bounded in count (ispwatch) or time (wrk).
#
#   scripts/bench-probers.sh            # all kinds
#   KINDS="http dns" scripts/bench-probers.sh
#
# Environment: PROBES (default 100000), CONCURRENCY (default 500), BBE_SECONDS (default 10),
# BBE_CONNECTIONS (default 64), NGINX_WORKERS (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."

ISPWATCH_BENCH_DEPS=1 scripts/install-deps.sh
KINDS=${KINDS:-"http https tcp icmp dns"}
PROBES=${PROBES:-100000}
CONCURRENCY=${CONCURRENCY:-500}
BBE_SECONDS=${BBE_SECONDS:-10}
BBE_CONNECTIONS=${BBE_CONNECTIONS:-64}
NGINX_WORKERS=${NGINX_WORKERS:-1}

swift build -c release --product ispwatch >&2
ispwatch=$(swift build -c release --show-bin-path)/ispwatch

work=$(mktemp -d /tmp/ispwatch-bench.XXXXXX)
pids=()
groups=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for group in "${groups[@]}"; do kill -KILL -- "-$group" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

scripts/lab/start-test-servers.sh "$work" "$NGINX_WORKERS" >&2
source "$work/ports.env"
groups+=("$(cat "$work/nginx.pid")" "$(cat "$work/nsd.pid")")

# --- blackbox_exporter, configured for the same targets --------------------------------------
bbe_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/blackbox.yml" <<YAML
modules:
  http:  {prober: http, timeout: 5s, http: {preferred_ip_protocol: ip4}}
  https: {prober: http, timeout: 5s, http: {preferred_ip_protocol: ip4, tls_config: {ca_file: $work/ca.pem}}}
  tcp:   {prober: tcp,  timeout: 5s, tcp:  {preferred_ip_protocol: ip4}}
  icmp:  {prober: icmp, timeout: 5s, icmp: {preferred_ip_protocol: ip4}}
  dns:   {prober: dns,  timeout: 5s, dns:  {preferred_ip_protocol: ip4, query_name: www.isp.test, query_type: A}}
YAML
prometheus-blackbox-exporter --config.file="$work/blackbox.yml" \
    --web.listen-address="127.0.0.1:$bbe_port" --log.level=error >"$work/bbe.log" 2>&1 &
bbe_pid=$!
pids+=("$bbe_pid")
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$bbe_port/metrics" >/dev/null && break; sleep 0.1; done

cpu_seconds() { # utime+stime of a pid, in seconds
    awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

declare -A ours bbe_target
ours[http]="http://127.0.0.1:$HTTP_PORT/"
ours[https]="https://127.0.0.1:$HTTPS_PORT/"
ours[tcp]="tcp://127.0.0.1:$HTTP_PORT"
ours[icmp]="icmp://127.0.0.1?count=1"
ours[dns]="dns://127.0.0.1:$DNS_PORT/www.isp.test?type=A"
bbe_target[http]="http://127.0.0.1:$HTTP_PORT/"
bbe_target[https]="https://127.0.0.1:$HTTPS_PORT/"
bbe_target[tcp]="127.0.0.1:$HTTP_PORT"
bbe_target[icmp]="127.0.0.1"
bbe_target[dns]="127.0.0.1:$DNS_PORT"

printf '%-6s %14s %14s %14s %14s %8s\n' kind "ispwatch/s" "CPU-µs/probe" "blackbox/s" "CPU-µs/probe" ratio
for kind in $KINDS; do
    extra=()
    [[ $kind == https ]] && extra=(--insecure)
    count=$PROBES
    # A full TLS handshake costs both sides ~1 ms of CPU: keep the HTTPS run near 10 s.
    [[ $kind == https ]] && count=$((PROBES / 10))
    "$ispwatch" probe "${ours[$kind]}" "${extra[@]}" --repeat "$count" --concurrency "$CONCURRENCY" \
        --json >"$work/$kind.json" || true
    read -r our_rate our_cpu our_failures < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(round(s["probesPerSecond"]), round(s["cpuMicrosecondsPerProbe"], 1), s["failures"])' "$work/$kind.json")

    url="http://127.0.0.1:$bbe_port/probe?module=$kind&target=${bbe_target[$kind]}"
    cpu_before=$(cpu_seconds "$bbe_pid")
    wrk -t2 -c"$BBE_CONNECTIONS" -d"${BBE_SECONDS}s" "$url" >"$work/wrk-$kind.txt" 2>&1
    cpu_after=$(cpu_seconds "$bbe_pid")
    bbe_failures=$(curl -s "$url" | awk '$1 == "probe_success" {print ($2 == 1) ? 0 : 1}')
    read -r bbe_rate bbe_cpu < <(python3 -c '
import re, sys
text = open(sys.argv[1]).read()
rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))
requests = int(re.search(r"([0-9]+) requests in", text).group(1))
print(round(rate), round((float(sys.argv[3]) - float(sys.argv[2])) * 1e6 / max(requests, 1), 1))' \
        "$work/wrk-$kind.txt" "$cpu_before" "$cpu_after")
    ratio=$(python3 -c "print(f'{$our_rate / max($bbe_rate, 1):.1f}x')")
    printf '%-6s %14s %14s %14s %14s %8s' "$kind" "$our_rate" "$our_cpu" "$bbe_rate" "$bbe_cpu" "$ratio"
    [[ $our_failures != 0 ]] && printf '  (ispwatch: %s failed probes, see %s)' "$our_failures" "$kind.json"
    [[ $bbe_failures != 0 ]] && printf '  (blackbox: probe_success 0)'
    printf '\n'
done
