#!/usr/bin/env bash
# `swift test` under a watchdog (make swift-test runs this).
#
# The output is line-buffered, so a log cut short still shows every test that finished. If the run has not ended
# after LEDGER_TEST_TIMEOUT seconds (default 1800; a whole run takes 7–10 minutes on 2 cores), the script prints
# every thread's stack in this run's test process (gdb), stops the run, lists the tests that never finished, and
# exits with status 124: a hang then says where it is, instead of using up CI's time in silence.
set -uo pipefail

limit=${LEDGER_TEST_TIMEOUT:-1800}
swift=${SWIFT:-swift}
log=$(mktemp /tmp/ledger-swift-test.XXXXXX)
trap 'rm -f "$log"' EXIT

stdbuf -oL -eL "$swift" test "$@" > >(tee "$log") 2>&1 &
runner=$!

waited=0
while kill -0 "$runner" 2>/dev/null; do
    if [ "$waited" -ge "$limit" ]; then
        echo "== swift test has run for ${limit}s: stopping it"
        # The test process is a child of this run's swift-test (not another checkout's run on the same machine).
        for pid in $(pgrep -P "$runner" -f 'PackageTests\.xctest'); do
            echo "== threads of process $pid ($(tr '\0' ' ' < /proc/$pid/cmdline | cut -c1-160))"
            if command -v gdb >/dev/null; then
                gdb -p "$pid" -batch -ex 'set pagination off' -ex 'thread apply all bt 25' 2>/dev/null \
                    | grep -E '^(Thread|#)' | { if command -v swift-demangle >/dev/null; then swift-demangle --simplified; else cat; fi; } \
                    | cut -c1-220 | head -n 600
            else
                echo "   (gdb is not installed)"
            fi
        done
        pkill -TERM -P "$runner" 2>/dev/null
        kill -TERM "$runner" 2>/dev/null
        wait "$runner" 2>/dev/null
        echo "== tests that had not finished (running, or not yet started):"
        # swift-testing reports each test when it ends; what `swift test list` knows and the log never reported as
        # passed, failed or skipped was running (or never started).
        "$swift" test list --skip-build 2>/dev/null | sed 's/.*\///' | sort -u | while read -r test; do
            grep -F "Test $test" "$log" | grep -qE ' (passed|failed|skipped)' || echo "   $test"
        done
        exit 124
    fi
    sleep 5
    waited=$((waited + 5))
done
wait "$runner"
