#!/usr/bin/env bash
# Builds ispwatch and runs its demo: four simulated providers on 127.0.0.x, an outage, flapping,
# slowness, pages, the SLA report and the status page (docs/LAB.md). For a fresh Debian or Ubuntu
# machine with the Swift toolchain: installs libcurl's and OpenSSL's headers first when they are
# missing (with sudo only when not root), and nothing else. Arguments go to `ispwatch demo`
# (e.g. --duration 1m, --no-serve, --json).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null; then
    echo "demo.sh: the Swift toolchain is not installed; see https://www.swift.org/install/" >&2
    exit 2
fi

missing=()
for package in libcurl4-openssl-dev libssl-dev pkg-config; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
    sudo=""
    if [[ $(id -u) != 0 ]]; then sudo=sudo; fi
    echo "demo.sh: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

swift build --product ispwatch
exec swift run --skip-build ispwatch demo "$@"
