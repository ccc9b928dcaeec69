#!/usr/bin/env bash
# The full test suite, as CI runs it: installs the Debian packages the tests need when missing
# (libcurl's headers, nginx, nsd, openssl), then builds and runs every test. The tests start their
# own servers on loopback and stop them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
# One test at a time: the hostile-peer tests check that a probe ends within its timeout plus a few
# hundred milliseconds, and running them beside the load tests (thousands of probes against nginx
# and nsd) on a 2-core machine starves threads for longer than that. Serially the suite takes
# about half a minute.
swift test --skip-build --no-parallel "$@"
