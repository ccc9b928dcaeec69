#!/usr/bin/env bash
# Starts nginx (HTTP + HTTPS) and nsd (authoritative DNS for isp.test) on loopback, on free ports,
# with configuration, certificates and state in DIR. Writes DIR/ports.env (HTTP_PORT, HTTPS_PORT,
# DNS_PORT), DIR/nginx.pid, DIR/nsd.pid and DIR/ca.pem. Each pid leads a process group: the caller
# stops a server with all its workers by `kill -KILL -- -PID`.
#
#   scripts/lab/start-test-servers.sh DIR [NGINX_WORKERS]
#
# HTTP_PORT, HTTPS_PORT and DNS_PORT in the environment fix the ports instead (targets/example.yaml
# expects 8080, 8443 and 5353).
set -euo pipefail
dir=${1:?usage: start-test-servers.sh DIR [NGINX_WORKERS]}
workers=${2:-1}
mkdir -p "$dir/nginx/logs" "$dir/nsd"

# The servers outlive this script: close every descriptor it inherited beyond stdio (bash keeps
# its own script on 255), so that they hold no pipe of the caller's open and whoever waits for
# that pipe's end (a test runner, a benchmark harness) is not kept waiting.
for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    if ((fd > 2 && fd != 255)); then eval "exec $fd>&-" 2>/dev/null || true; fi
done

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
http_port=${HTTP_PORT:-$(free_port)}
https_port=${HTTPS_PORT:-$(free_port)}
dns_port=${DNS_PORT:-$(free_port)}

# ECDSA P-256: the cheapest full handshake for both sides.
openssl ecparam -name prime256v1 -genkey -noout -out "$dir/ca.key" 2>/dev/null
openssl req -x509 -new -key "$dir/ca.key" -subj "/CN=ispwatch test CA" -days 30 -out "$dir/ca.pem" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$dir/server.key" 2>/dev/null
openssl req -new -key "$dir/server.key" -subj "/CN=www.isp.test" -out "$dir/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:www.isp.test,DNS:localhost,IP:127.0.0.1,IP:::1\n' > "$dir/san.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 30 -extfile "$dir/san.ext" -out "$dir/server.pem" 2>/dev/null

cat > "$dir/nginx/nginx.conf" <<CONF
worker_processes $workers;
pid $dir/nginx.pid;
error_log $dir/nginx/logs/error.log error;
events { worker_connections 16384; multi_accept on; }
worker_rlimit_nofile 65536;
http {
    access_log off;
    client_body_temp_path $dir/nginx/body;
    proxy_temp_path $dir/nginx/proxy;
    fastcgi_temp_path $dir/nginx/fastcgi;
    uwsgi_temp_path $dir/nginx/uwsgi;
    scgi_temp_path $dir/nginx/scgi;
    keepalive_timeout 5s;
    server {
        listen 127.0.0.1:$http_port backlog=65535 reuseport;
        listen [::1]:$http_port backlog=65535 reuseport;
        location / { default_type text/plain; return 200 "ispwatch test portal\n"; }
    }
    server {
        listen 127.0.0.1:$https_port ssl backlog=65535 reuseport;
        listen [::1]:$https_port ssl backlog=65535 reuseport;
        ssl_certificate $dir/server.pem;
        ssl_certificate_key $dir/server.key;
        ssl_session_cache off;
        ssl_session_tickets off;
        location / { default_type text/plain; return 200 "ispwatch test portal\n"; }
    }
}
CONF
# Each server leads its own session and process group, so that `kill -- -PID` stops it with all the
# workers it forks, and it keeps none of the caller's terminal.
setsid /usr/sbin/nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -g 'daemon off;' </dev/null &
nginx_pid=$!

cat > "$dir/nsd/isp.test.zone" <<ZONE
\$ORIGIN isp.test.
\$TTL 300
@       IN SOA ns1.isp.test. hostmaster.isp.test. 2026112401 3600 600 86400 300
@       IN NS  ns1.isp.test.
ns1     IN A   127.0.0.1
www     IN A   127.0.0.1
www     IN AAAA ::1
ZONE
cat > "$dir/nsd/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1@$dns_port
    username: ""
    chroot: ""
    zonesdir: "$dir/nsd"
    database: ""
    zonelistfile: "$dir/nsd/zone.list"
    xfrdfile: "$dir/nsd/xfrd.state"
    xfrdir: "$dir/nsd"
    pidfile: "$dir/nsd/nsd.pid"
    logfile: "$dir/nsd/nsd.log"
    server-count: 1
    reuseport: yes
    # Debian builds nsd with response-rate limiting (200/s per source): off, or it drops the load.
    rrl-ratelimit: 0
    verbosity: 0
remote-control:
    control-enable: no
zone:
    name: isp.test
    zonefile: isp.test.zone
CONF
setsid /usr/sbin/nsd -d -c "$dir/nsd/nsd.conf" </dev/null &
nsd_pid=$!
echo "$nsd_pid" > "$dir/nsd.pid"

# Wait until both answer.
for _ in $(seq 100); do
    if curl -sf "http://127.0.0.1:$http_port/" >/dev/null 2>&1 \
        && python3 - "$dns_port" <<'PY' 2>/dev/null
import socket, struct, sys
q = struct.pack(">HHHHHH", 0x1234, 0, 1, 0, 0, 0) + b"\x03www\x03isp\x04test\x00" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2)
s.sendto(q, ("127.0.0.1", int(sys.argv[1]))); s.recvfrom(512)
PY
    then
        break
    fi
    sleep 0.1
done
# nginx writes its own master pid (the same process: it runs in the foreground) once it is up.
echo "$nginx_pid" > "$dir/nginx.pid"
printf 'HTTP_PORT=%s\nHTTPS_PORT=%s\nDNS_PORT=%s\n' "$http_port" "$https_port" "$dns_port" > "$dir/ports.env"
echo "nginx on 127.0.0.1:$http_port (http) and :$https_port (https), nsd on 127.0.0.1:$dns_port" >&2
