#!/usr/bin/env bash
# Several servers over one PostgreSQL, under load (issue #16 item 8): a throw-away PostgreSQL cluster, the demo loaded
# into it, two release `ledger serve` processes with the daily jobs on, and nginx in front of them as the load balancer
# (the servers believe its X-Forwarded-For through LEDGER_TRUSTED_PROXIES). wrk then drives a mix for a bounded time —
# public estate pages, notices, API reads with a district token, anonymous complaint filings (each from its own
# forwarded address, so the per-address limit is the servers' to apply, not a wall) and published corrections — and
# the script prints throughput, latency, errors (target 0), each server's peak RSS, and that each daily job ran once.
#
#   scripts/bench-cluster.sh [BIN_DIR]        (make bench-cluster)
#
# Environment: BENCH_CLUSTER_ESTATES (1000), BENCH_CLUSTER_SECONDS (30), BENCH_CLUSTER_CONNECTIONS (16),
# BENCH_CLUSTER_THREADS (2), BENCH_CLUSTER_PORT (18190; the servers take the next two).
set -euo pipefail

bin_dir=${1:-$(swift build -c release --show-bin-path)}
ledger="$bin_dir/ledger"
estates=${BENCH_CLUSTER_ESTATES:-1000}
duration=${BENCH_CLUSTER_SECONDS:-30}
connections=${BENCH_CLUSTER_CONNECTIONS:-16}
threads=${BENCH_CLUSTER_THREADS:-2}
port=${BENCH_CLUSTER_PORT:-18190}
base="http://127.0.0.1:$port"
here=$(cd "$(dirname "$0")/.." && pwd)

for tool in wrk nginx psql curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (Debian: apt-get install -y wrk nginx-light postgresql curl)" >&2; exit 1; }
done
[ -x "$ledger" ] || { echo "no release ledger at $ledger: swift build -c release --product ledger" >&2; exit 1; }

tmp=$(mktemp -d)
chmod 755 "$tmp"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  LEDGER_PG_DIR="$tmp/pg" bash "$here/.ci/postgres.sh" stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
started=$(date +%s)

echo "== PostgreSQL" >&2
url=$(LEDGER_PG_DIR="$tmp/pg" LEDGER_PG_PORT=$((port + 10)) bash "$here/.ci/postgres.sh" start)
sql() { psql "$url" -Atqc "$1"; }

echo "== demo: $estates estates" >&2
"$ledger" demo --no-serve --estates "$estates" --database "$url" --log-level error >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log" >&2; exit 1; }

echo "== two servers and nginx" >&2
for n in 1 2; do
  LEDGER_TRUSTED_PROXIES=127.0.0.1 "$ledger" serve --database "$url" --hostname 127.0.0.1 --port $((port + n)) --log-level error \
    --files "$tmp/files" >"$tmp/serve$n.log" 2>&1 &
  pids+=($!)
done
server1=${pids[0]} server2=${pids[1]}
cat >"$tmp/nginx.conf" <<NGINX
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx-body;
  proxy_temp_path $tmp/nginx-proxy;
  # wrk stands for many owners behind a CDN: the address it sends is the client's (the servers take the last
  # address nginx forwards, as they must with one trusted proxy, so nginx forwards the one wrk gave).
  map \$http_x_forwarded_for \$client { "" \$remote_addr; default \$http_x_forwarded_for; }
  upstream ledger { server 127.0.0.1:$((port + 1)); server 127.0.0.1:$((port + 2)); keepalive 32; }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://ledger;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$client;
    }
  }
}
NGINX
nginx -c "$tmp/nginx.conf" -p "$tmp" &
pids+=($!)
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$((port + 1))/healthz" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$((port + 2))/healthz" >/dev/null 2>&1 \
    && curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { cat "$tmp"/serve*.log "$tmp/nginx-error.log" >&2 2>/dev/null; exit 1; }; done
  sleep 0.1
done
# Both servers race for the daily jobs due today; let them finish before loading.
for _ in $(seq 1 1200); do
  [ "$(sql "SELECT COUNT(*) FROM job_runs WHERE finished_at IS NULL")" = 0 ] && [ "$(sql "SELECT COUNT(*) FROM job_runs")" -gt 0 ] && break
  sleep 0.5
done

token=$(curl -fsS -X POST "$base/api/v1/session" -H 'Content-Type: application/json' -d '{"username":"gulou","password":"Ledger@2024"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
admin=$(curl -fsS -X POST "$base/api/v1/session" -H 'Content-Type: application/json' -d '{"username":"admin","password":"Ledger@2024"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
quarter=$(sql "SELECT year || ' ' || quarter FROM disclosure_versions ORDER BY year DESC, quarter DESC LIMIT 1")
read -r year q <<<"$quarter"
published=$(sql "SELECT estate_id FROM disclosure_versions WHERE year = $year AND quarter = $q GROUP BY estate_id ORDER BY estate_id LIMIT 40" | paste -sd, -)
estates_list=$(sql "SELECT id FROM estates ORDER BY id LIMIT 200" | paste -sd, -)
today=$(TZ=Asia/Shanghai date +%F)
until=$(TZ=Asia/Shanghai date -d "+45 days" +%F)
versions_before=$(sql "SELECT COUNT(*) FROM disclosure_versions")
complaints_before=$(sql "SELECT COUNT(*) FROM complaints")

# The mix, per request: 55% public estate pages, 15% notices, 20% API reads, 7% complaint filings, 3% corrections
# (answers are counted by status: wrk cannot tie an answer to the kind of request on a busy connection).
cat >"$tmp/mix.lua" <<LUA
local estates = {$estates_list}
local published = {$published}

statuses = {}
local correction = '{"income":[{"category":"parking","description":"地面临时停车费","amount":"18600.00"},'
  .. '{"category":"advertising_elevator","description":"电梯广告","amount":"6000.00"}],'
  .. '"costs":[{"description":"停车管理员工资","amount":"6000.00"}],'
  .. '"distribution":{"ownersShare":"13020.00","companyShare":"5580.00"},"transfer":{"amount":"13020.00","date":"$today"},'
  .. '"openingBalance":"50210.35","contact":{"name":"王经理","phone":"0591-87654321"},'
  .. '"display":{"from":"$today","until":"$until"},"reason":"压力测试：更正停车费收入"}'
request = function()
  local r = math.random(100)
  local estate = estates[math.random(#estates)]
  local ip = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  if r <= 55 then
    return wrk.format("GET", "/public/estates/" .. estate)
  elseif r <= 70 then
    return wrk.format("GET", "/public/estates/" .. published[math.random(#published)] .. "/notice/$year/$q")
  elseif r <= 90 then
    return wrk.format("GET", "/api/v1/estates?pageSize=20&page=" .. math.random(1, 5), { ["Authorization"] = "Bearer $token" })
  elseif r <= 97 then
    local body = '{"estateId":' .. estate .. ',"category":"revenue_undisclosed","content":"停车费收入从未公示，请核查处理（压力测试）"}'
    return wrk.format("POST", "/api/v1/complaints", { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = ip }, body)
  else
    return wrk.format("POST", "/api/v1/estates/" .. published[math.random(#published)] .. "/disclosures/$year/$q/publish",
      { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer $admin" }, correction)
  end
end
response = function(status, headers, body)
  local key = "HTTP " .. status
  statuses[key] = (statuses[key] or 0) + 1
end
done = function(summary, latency, requests)
  io.write("errors: connect " .. summary.errors.connect .. ", read " .. summary.errors.read .. ", write " .. summary.errors.write
    .. ", status " .. summary.errors.status .. ", timeout " .. summary.errors.timeout .. "\n")
end
LUA
# wrk's response() runs per thread and done() cannot see the threads' tables: count statuses in the threads instead.
cat >>"$tmp/mix.lua" <<'LUA'
local threads = {}
setup = function(thread) table.insert(threads, thread) end
local _done = done
done = function(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for k, v in pairs(s) do total[k] = (total[k] or 0) + v end
  end
  local keys = {}
  for k in pairs(total) do table.insert(keys, k) end
  table.sort(keys)
  for _, k in ipairs(keys) do io.write("status " .. k .. ": " .. total[k] .. "\n") end
  _done(summary, latency, requests)
end
LUA

echo "== wrk -t$threads -c$connections -d${duration}s through nginx" >&2
wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$tmp/mix.lua" "$base/" >"$tmp/wrk.out" 2>&1 || { cat "$tmp/wrk.out" >&2; exit 1; }
[ -n "${BENCH_CLUSTER_DEBUG:-}" ] && cat "$tmp/wrk.out" >&2
rate=$(awk '/^Requests\/sec:/ {print $2}' "$tmp/wrk.out")
p50=$(awk '$1 == "50%" {print $2}' "$tmp/wrk.out")
p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.out")
bad=$( (grep -E '^status ' "$tmp/wrk.out" || true) | awk '{split($NF, a, ""); code = $(NF-1); sub(":", "", code); if (code !~ /^(200|201|303|304)$/) n += $NF} END {print n + 0}')
socket=$(awk '/^errors:/ {n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { gsub(",", "", $i); n += $i } print n}' "$tmp/wrk.out")
rss() { awk '/^VmHWM:/ {printf "%.0f MB", $2 / 1024}' "/proc/$1/status"; }
jobs_twice=$(sql "SELECT COUNT(*) FROM (SELECT job, day FROM job_runs GROUP BY job, day HAVING COUNT(*) > 1) t")
job_list=$(sql "SELECT job || ' ' || day || ' on ' || host FROM job_runs ORDER BY day, job" | paste -sd';' -)
versions=$(( $(sql "SELECT COUNT(*) FROM disclosure_versions") - versions_before ))
complaints=$(( $(sql "SELECT COUNT(*) FROM complaints") - complaints_before ))
elapsed=$(( $(date +%s) - started ))

{
  echo "--- make bench-cluster: nginx → 2 × ledger serve ($(basename "$bin_dir") build) → PostgreSQL, $estates estates, wrk -t$threads -c$connections -d${duration}s"
  printf '%s\t%.0f /s · p50 %s · p99 %s\n' "mix through nginx" "$rate" "$p50" "$p99"
  (grep -E '^status ' "$tmp/wrk.out" || true) | sed 's/^status \(.*\): \([0-9]*\)$/  \1\t\2 answers/'
  printf '%s\t%s\n' "errors (non-2xx/3xx answers + socket errors; target 0)" "$((bad + socket))"
  printf '%s\t%s\n' "complaints filed / corrections published during the run" "$complaints / $versions"
  printf '%s\t%s\n' "server 1 peak RSS (VmHWM)" "$(rss "$server1")"
  printf '%s\t%s\n' "server 2 peak RSS (VmHWM)" "$(rss "$server2")"
  printf '%s\t%s\n' "daily jobs run more than once for a day (target 0)" "$jobs_twice"
  printf '%s\t%s\n' "daily jobs" "$job_list"
  printf '%s\t%s s\n' "whole script" "$elapsed"
} >"$tmp/rows"
python3 - "$tmp/rows" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8")]
width = max(len(r[0]) for r in rows if len(r) == 2)
print()
print("figure".ljust(width) + "  value")
print("-" * (width + 14))
for r in rows:
    print(r[0] if len(r) == 1 else r[0].ljust(width) + "  " + r[1])
PY
[ "$((bad + socket))" = 0 ] && [ "$jobs_twice" = 0 ]
