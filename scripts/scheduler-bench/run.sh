#!/bin/sh
# Measures the scheduling core alone, optimised: N series (default 100000) at a 60 s interval for one
# simulated hour (36,000 wake-ups 100 ms apart, every probe finishing at once), and prints the time
# per probe (due + admission + finish). No I/O, no sleeping: it shows what the core costs the daemon.
# Builds the Scheduling target in release and links this file against its objects (no package target,
# so the package's build graph stays as it is).
set -eu
cd "$(dirname "$0")/../.."
swift build -c release --target Scheduling >&2
out=$(mktemp -d)
swiftc -O -parse-as-library -module-name SchedulerBench scripts/scheduler-bench/SchedulerBench.swift \
    -o "$out/scheduler-bench" -I .build/release/Modules \
    -Xcc -fmodule-map-file=.build/checkouts/Yams/Sources/CYaml/include/module.modulemap \
    -Xcc -I.build/checkouts/Yams/Sources/CYaml/include \
    $(find .build/release/Scheduling.build .build/release/WatchCore.build .build/release/Yams.build \
        .build/release/CYaml.build -name '*.o')
"$out/scheduler-bench" "${1:-100000}"
rm -rf "$out"
