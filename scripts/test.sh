#!/usr/bin/env bash
# The full test suite, as CI runs it: installs the Debian packages the tests need when missing
# (libcurl's headers, nginx, nsd, openssl), then builds and runs every test. The tests start their
# own servers on loopback and stop them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build "$@"
