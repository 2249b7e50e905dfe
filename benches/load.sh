#!/usr/bin/env bash
# Measures how many storefront pages a second the release binary serves, with wrk (installed
# from Debian's packages when missing), on a demo shop in a temporary folder, over loopback.
# Prints requests per second and latency for each page, and the server's memory afterwards.
# Usage: bash benches/load.sh [seconds per page, default 10] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
secs=${1:-10}
conns=${2:-32}
port=${BENCH_PORT:-18090}

if ! command -v wrk >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
cargo build --locked --release
dir=$(mktemp -d)
cp target/release/comptoir "$dir/"
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"
ROCKET_PORT=$port ROCKET_ADDRESS=127.0.0.1 ROCKET_LOG_LEVEL=off ./comptoir serve --demo >serve.log 2>&1 &
pid=$!
wait_for_shop "http://127.0.0.1:$port"

echo "Comptoir release build, SQLite, $(nproc) cores, $conns connections, ${secs}s per page"
measure() { # label, path, then extra wrk arguments
  local label=$1 path=$2; shift 2
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" "http://127.0.0.1:$port$path")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  printf '%-45s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$label" "$rps" "$p50" "$p99" "${errors:-0}"
}
for path in / /categories/epicerie-fine "/categories/cave?page=1" /products/moutarde-de-dijon-a-l-ancienne "/search?q=the" /static/css/shop.css; do
  measure "$path" "$path"
done
# Signed in as the demo admin: the session lookup (and its idle clock) on every request.
sid=$(staff_session "http://127.0.0.1:$port" serve.log "$dir/jar")
for path in /account /admin/orders /admin/products; do
  measure "$path (signed in)" "$path" -H "Cookie: sid=$sid"
done
rss=$(awk '/VmRSS/ {print $2, $3}' "/proc/$pid/status")
echo "server memory (RSS) after the run: $rss"
