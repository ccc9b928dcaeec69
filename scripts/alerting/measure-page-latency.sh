#!/usr/bin/env bash
# Measures the time from the first failed probe to the page accepted by Alertmanager: `ispwatch run`
# (debug build: swift build) with a 10 s probe interval and the default alert rules (1 min slices,
# K = 3, 15 s close delay) against the lab nginx, stopped 75 s in. Loopback only; takes about 5 min.
set -u
W=$(cd "$(dirname "$0")/../.." && pwd)
D=$(mktemp -d /tmp/ispwatch-page-latency.XXXXXX)
mkdir -p $D
bash $W/scripts/lab/start-test-servers.sh $D/lab 1 >/dev/null 2>&1 || { echo lab failed; exit 1; }
. $D/lab/ports.env
AMPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n' > $D/am.yml
/usr/bin/prometheus-alertmanager --config.file=$D/am.yml --storage.path=$D/amdata --web.listen-address=127.0.0.1:$AMPORT --cluster.listen-address= > $D/am.log 2>&1 &
AMPID=$!
cat > $D/run.yaml <<YAML
vantage: {id: measure}
defaults: {interval: 10s, timeout: 2s}
providers: [{id: lab}]
targets:
  - id: portal
    provider: lab
    http: {url: "http://127.0.0.1:$HTTP_PORT/", expect: {status: "200"}}
alerting:
  receivers:
    - name: am
      alertmanager: {url: "http://127.0.0.1:$AMPORT"}
YAML
$W/.build/debug/ispwatch run --config $D/run.yaml --data $D/data --metrics-address 127.0.0.1:0 --no-sync 2> $D/run.log &
RUNPID=$!
sleep 75
STOP=$(date +%s.%N)
kill -KILL -- -$(cat $D/lab/nginx.pid)
echo "nginx stopped at $(date -u -d @$STOP +%H:%M:%S.%N)"
for i in $(seq 1 1200); do
  if curl -sf http://127.0.0.1:$AMPORT/api/v2/alerts | grep -q TargetDown; then break; fi
  sleep 0.25
done
PAGE=$(date +%s.%N)
echo "page seen in Alertmanager at $(date -u -d @$PAGE +%H:%M:%S.%N)"
kill -TERM $RUNPID; wait $RUNPID
$W/.build/debug/ispwatch export $D/data --format csv > $D/results.csv 2>/dev/null
FIRST=$(awk -F, 'NR>1 && $2!="" && $8=="false" {print $1; exit}' $D/results.csv)
echo "first failed probe started at $FIRST"
python3 - "$FIRST" "$PAGE" "$STOP" <<PY
import sys, datetime
first = datetime.datetime.fromisoformat(sys.argv[1].replace("Z","+00:00")).timestamp()
page = float(sys.argv[2]); stop = float(sys.argv[3])
print(f"first failed probe -> page in Alertmanager: {page-first:.1f} s (nginx stop -> page: {page-stop:.1f} s; offset of the failure in its minute slice: {first%60:.1f} s)")
PY
echo "failed deliveries: $(grep -c "delivery failed" $D/run.log)"
kill $AMPID; kill -KILL -- -$(cat $D/lab/nsd.pid) 2>/dev/null
