#!/usr/bin/env bash
# HTTP figures measured the way peers are measured (HttpArena and the like): the release `ledger` server runs as its own
# process over a throw-away demo database and wrk loads it from outside, one endpoint at a time.
#
#   scripts/bench-http.sh [BIN_DIR]      (make bench runs it after ledger-bench; make bench-http runs it alone)
#
# Environment: BENCH_HTTP_ESTATES (2000), BENCH_HTTP_QUARTERS (8), BENCH_HTTP_SECONDS (8), BENCH_HTTP_CONNECTIONS (16),
# BENCH_HTTP_THREADS (2), BENCH_HTTP_PORT (18089), BENCH_HTTP_ESTATE (the public estate; default 92, else the first with
# disclosures), BENCH_HTTP_DATABASE (an existing SQLite file, e.g. from `ledger demo --estates 50000 --no-serve`: used as it is
# and kept, instead of a throw-away demo). Prints one table in the format of ledger-bench's (`Report.print`): req/s, p50, p99, the ratio to
# /healthz, non-2xx answers, and the server's peak RSS (VmHWM).
set -euo pipefail

bin_dir=${1:-$(swift build -c release --show-bin-path)}
ledger="$bin_dir/ledger"
estates=${BENCH_HTTP_ESTATES:-2000}
quarters=${BENCH_HTTP_QUARTERS:-8}
duration=${BENCH_HTTP_SECONDS:-8}
connections=${BENCH_HTTP_CONNECTIONS:-16}
threads=${BENCH_HTTP_THREADS:-2}
port=${BENCH_HTTP_PORT:-18089}
base="http://127.0.0.1:$port"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install -y sqlite3" >&2; exit 1; }
[ -x "$ledger" ] || { echo "no release ledger at $ledger: swift build -c release --product ledger" >&2; exit 1; }

tmp=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill "$server"; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
db="${BENCH_HTTP_DATABASE:-$tmp/ledger.sqlite}"

if [ -n "${BENCH_HTTP_DATABASE:-}" ]; then
  estates=$(sqlite3 "$db" "SELECT COUNT(*) FROM estates")
else
  "$ledger" demo --no-serve --estates "$estates" --quarters "$quarters" --database "sqlite://$db" --log-level error >"$tmp/demo.log" 2>&1 \
    || { cat "$tmp/demo.log" >&2; exit 1; }
fi
"$ledger" serve --database "sqlite://$db" --hostname 127.0.0.1 --port "$port" --log-level error >"$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$tmp/serve.log" >&2; exit 1; }
  sleep 0.1
done
# The daily jobs due today start with the server: let them finish before measuring.
for _ in $(seq 1 600); do
  [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM job_runs WHERE finished_at IS NULL" 2>/dev/null || echo 1)" = 0 ] && break
  sleep 0.5
done

estate=${BENCH_HTTP_ESTATE:-$(sqlite3 "$db" "SELECT estate_id FROM disclosure_versions ORDER BY estate_id = 92 DESC, estate_id LIMIT 1")}
notice=$(sqlite3 "$db" "SELECT year || '/' || quarter FROM disclosure_versions WHERE estate_id = $estate ORDER BY year DESC, quarter DESC LIMIT 1")
login() {
  curl -fsS -X POST "$base/api/v1/session" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"Ledger@2024\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
district=$(login gulou)
city=$(login fuzhou)

printf '%s\n' "--- wrk -t$threads -c$connections -d${duration}s against ledger serve, $(basename "$bin_dir") build ($estates estates, $quarters quarters, SQLite)" >"$tmp/rows"
healthz_rate=""
# target: "ratio 0.5" (at least that × healthz), "p95 50" (p95 at most 50 ms: met when p99 is; not met when p90 is not;
# else between the two, which wrk does not print), "rate 1000" (at least that many per second), or empty.
verdict() { # target rate ratio p90 p99
  local kind=${1%% *} bound=${1#* }
  case "$kind" in
    ratio) awk -v v="$3" -v b="$bound" 'BEGIN { print (v >= b ? "met" : "NOT MET") " (target ≥ " b " × healthz)" }' ;;
    rate) awk -v v="$2" -v b="$bound" 'BEGIN { print (v >= b ? "met" : "NOT MET") " (target ≥ " b " /s)" }' ;;
    p95) awk -v a="$(ms "$4")" -v c="$(ms "$5")" -v b="$bound" 'BEGIN {
           print (c <= b ? "met" : a > b ? "NOT MET" : "p95 between p90 and p99") " (target p95 ≤ " b " ms)" }' ;;
    *) echo "" ;;
  esac
}
ms() { # a wrk latency (850.00us, 12.3ms, 1.2s) in milliseconds
  awk -v t="$1" 'BEGIN { n = t + 0; if (t ~ /us$/) n /= 1000; else if (t ~ /ms$/) n += 0; else if (t ~ /s$/) n *= 1000; print n }'
}
measure() { # name path [header] [target]
  local name=$1 path=$2 header=${3:-} target=${4:-}
  local args=(-t"$threads" -c"$connections" -d"${duration}s" --latency)
  [ -n "$header" ] && args+=(-H "$header")
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' ${header:+-H "$header"} "$base$path")
  wrk "${args[@]}" "$base$path" >"$tmp/wrk.out"
  local rate p50 p90 p99 bad
  rate=$(awk '/^Requests\/sec:/ {print $2}' "$tmp/wrk.out")
  p50=$(awk '$1 == "50%" {print $2}' "$tmp/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.out")
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$tmp/wrk.out")
  [ -z "$healthz_rate" ] && healthz_rate=$rate
  local ratio
  ratio=$(awk -v a="$rate" -v b="$healthz_rate" 'BEGIN { printf "%.3f", a / b }')
  p90=$(awk '$1 == "90%" {print $2}' "$tmp/wrk.out")
  printf '%s\t%.0f /s · p50 %s · p90 %s · p99 %s · %s × healthz · HTTP %s%s\t%s\n' "$name" "$rate" "$p50" "$p90" "$p99" "$ratio" "$status" \
    "${bad:+ · $bad non-2xx}" "$(verdict "$target" "$rate" "$ratio" "$p90" "$p99")" >>"$tmp/rows"
}
measure "/healthz" "/healthz"
measure "public estate page /public/estates/$estate" "/public/estates/$estate" "" "ratio 0.5"
measure "notice /public/estates/$estate/notice/$notice" "/public/estates/$estate/notice/$notice" "" "ratio 0.5"
measure "API list /api/v1/estates?pageSize=20 (district token)" "/api/v1/estates?pageSize=20" "Authorization: Bearer $district" "ratio 0.25"
# A consistency proof between a third of the log and all of it (issue #16 item 7: O(log n) reads, ≥ 1,000 proofs/s).
log_size=$(sqlite3 "$db" "SELECT COUNT(*) FROM disclosure_versions WHERE leaf_index >= 0")
if [ "${log_size:-0}" -ge 3 ]; then
  measure "log consistency proof ($((log_size / 3)) → $log_size leaves)" "/api/v1/log/consistency?first=$((log_size / 3))&second=$log_size" "" "rate 1000"
fi
# The city officer's list pages (issue #16: p95 ≤ 50 ms at 16 connections and 50,000 estates; wrk prints p90 and p99).
for page in /estates /warnings /complaints /problems /filings /reports/summary; do
  measure "staff page $page (city officer's session)" "$page" "Cookie: ledger_session=$city" "p95 50"
done
measure "dashboard /dashboard (city officer's session)" "/dashboard" "Cookie: ledger_session=$city" "p95 50"
# The first request to each page after a write in the city (a complaint filed through the API): what a page costs once
# its stamp has moved and it is computed and rendered again; the requests after it are served from memory, as above.
first_estate=$(sqlite3 "$db" "SELECT id FROM estates ORDER BY id LIMIT 1")
filed=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/v1/complaints" -H 'Content-Type: application/json' \
  -d "{\"estateId\":$first_estate,\"category\":\"revenue_ratio\",\"content\":\"基准测试：停车收益没有公示，请核查。\"}")
for page in /estates /warnings /complaints /problems /filings /reports/summary /dashboard; do
  took=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: ledger_session=$city" "$base$page")
  again=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: ledger_session=$city" "$base$page")
  printf '%s\t%s\n' "$page: first request after a write in the city (complaint HTTP $filed) / the next" \
    "$(awk -v a="$took" -v b="$again" 'BEGIN { printf "%.1f ms / %.1f ms", a * 1000, b * 1000 }')" >>"$tmp/rows"
done
rss=$(awk '/^VmHWM:/ {printf "%.0f MB", $2 / 1024}' "/proc/$server/status")
printf '%s\t%s\t%s\n' "server peak RSS (VmHWM)" "$rss" "$(awk -v m="${rss% MB}" 'BEGIN { print (m <= 256 ? "met" : "NOT MET") " (target ≤ 256 MiB)" }')" >>"$tmp/rows"

# The table, laid out as Report.print lays out ledger-bench's.
python3 - "$tmp/rows" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8")]
width = max(len(r[0]) for r in rows if len(r) >= 2)
values = max(len(r[1]) for r in rows if len(r) >= 2)
print()
print("figure".ljust(width) + "  " + "value".ljust(values) + "  target")
print("-" * (width + values + 24))
for r in rows:
    if len(r) == 1:
        print(r[0])
    else:
        print((r[0].ljust(width) + "  " + (r[1].ljust(values) + "  " + r[2] if len(r) > 2 and r[2] else r[1])).rstrip())
PY
