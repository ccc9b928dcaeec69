#!/usr/bin/env bash
# Installs the Debian packages ispwatch needs to build and to run its tests, when they are missing.
# Safe to run again: it installs only what is absent. Needs root (or sudo) for apt-get.
set -euo pipefail

packages=(
    libcurl4-openssl-dev   # libcurl, the HTTP prober's transport (pkg-config: libcurl)
    libssl-dev             # OpenSSL, the lab's HTTPS portals and certificates (pkg-config: openssl)
    pkg-config
    nginx-light            # HTTP/HTTPS test server
    nsd                    # authoritative DNS test server
    openssl                # generates the test certificates
    iproute2               # `ip netns`: private network namespaces for the TCP/ICMP timeout tests
    prometheus             # `promtool check metrics` (LiveMetricsTests); the remote-write receiver (RemoteWrite*Tests)
    curl                   # scrapes the metrics server in LiveMetricsTests
    chromium               # headless browser the HTML report test renders the page in
    prometheus-alertmanager # the receiver the alerting tests deliver to
    libsnappy-dev          # snappy block compression of remote-write bodies (CSnappy; pkg-config: snappy)
)
if [[ "${ISPWATCH_BENCH_DEPS:-0}" == 1 ]]; then
    packages+=(prometheus-blackbox-exporter fping wrk)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
    exit 0
fi

sudo=""
if [[ $(id -u) != 0 ]]; then sudo=sudo; fi
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
# The Debian packages start system-wide daemons on the standard ports; the tests start their own
# instances on loopback with their own configuration, so stop the system ones.
for service in nginx nsd prometheus prometheus-alertmanager; do
    $sudo systemctl stop "$service" 2>/dev/null || $sudo service "$service" stop 2>/dev/null || true
done
