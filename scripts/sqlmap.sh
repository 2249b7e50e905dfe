#!/usr/bin/env bash
# Runs sqlmap (Debian's package, installed when missing) against a running demo shop: the
# storefront search, the login form, and the back-office order and product filters (signed in
# as the demo admin). Fails if sqlmap finds anything injectable. The report goes to
# scripts/sqlmap-report.txt (the last one is kept in the repository).
# Usage: bash scripts/sqlmap.sh [level, default 3] [risk, default 2]
# With DATABASE_URL=postgres://… it runs against PostgreSQL instead of a SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
level=${1:-3}
risk=${2:-2}
port=${SQLMAP_PORT:-18091}
base="http://127.0.0.1:$port"
report="scripts/sqlmap-report.txt"

if ! command -v sqlmap >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlmap >/dev/null
fi
cargo build --locked
work=$(mktemp -d)
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export ROCKET_PORT=$port ROCKET_ADDRESS=127.0.0.1 ROCKET_LOG_LEVEL=critical
export ROCKET_DATA_DIR="$work/data"
export DATABASE_URL=${DATABASE_URL:-"$work/shop.db"}
# A PostgreSQL shop needs a configured secret (any will do for a throwaway database).
export ROCKET_SHOP_SECRET=${ROCKET_SHOP_SECRET:-$(head -c 48 /dev/urandom | base64 -w0)}
./target/debug/comptoir serve --demo >"$work/serve.log" 2>&1 &
pid=$!
wait_for_shop "$base" 300
# A signed-in staff session, with the login `serve --demo` printed.
sid=$(staff_session "$base" "$work/serve.log" "$work/cookies")
[ -n "$sid" ] || { echo "could not sign in as the demo staff" >&2; cat "$work/serve.log" >&2; exit 1; }
# An anonymous visitor's cookie and token for the login form itself.
anon_jar="$work/anon"
anon_token=$(csrf_token "$base" /login "$anon_jar")
aid=$(cookie_value "$anon_jar" aid)

common=(--batch --flush-session --level="$level" --risk="$risk" --threads=4
  --output-dir="$work/sqlmap" --disable-coloring)
: >"$work/all.log"
run() {
  echo "==> sqlmap $*" | tee -a "$work/all.log"
  sqlmap "${common[@]}" "$@" 2>&1 | tee -a "$work/all.log" | grep -E "^\[[0-9:]+\] \[(WARNING|CRITICAL|INFO)\] .*(injectable|vulnerable|identified)" || true
}

run -u "$base/search?q=moutarde&page=1" -p "q,page"
# The login throttle answers 429 after a few failures (the throttle's own query still reads the
# email field); sqlmap is told that 429 and 422 are answers too.
run -u "$base/login" --method POST --cookie "aid=$aid" \
  --data "_csrf=$anon_token&email=client%40example.fr&password=secret&next=%2F" \
  -p "email,password,next" --ignore-code=429,422
run -u "$base/admin/orders?status=paid&email=a%40b.fr&number=2026&from=2026-01-01&to=2026-12-31&page=1" \
  --cookie "sid=$sid" -p "status,email,number,from,to,page"
run -u "$base/admin/products?q=the&category=1&active=true&low=5&sort=price&page=1" \
  --cookie "sid=$sid" -p "q,category,active,low,sort,page"

{
  echo "# sqlmap against Comptoir — $(date -u +%Y-%m-%dT%H:%MZ), sqlmap $(dpkg-query -W -f '${Version}' sqlmap 2>/dev/null || echo '?')"
  echo "# database: ${DATABASE_URL%%\?*}; level $level, risk $risk; targets: search, login, admin order and product filters"
  echo
  grep -E "^==> |\[(WARNING|CRITICAL|ERROR)\]|all tested parameters|injectable|identified the following" "$work/all.log" |
    sed "s/$sid/<session>/g; s/$aid/<anon>/g; s/$anon_token/<token>/g" |
    sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1b[()][A-Z0-9]//g; s/\x1b[>=]//g' |
    grep -v "sqlmap version is outdated"
} >"$report"
if grep -q "identified the following injection point" "$work/all.log"; then
  echo "sqlmap found an injection point: see $report" >&2
  exit 1
fi
tested=$(grep -c "all tested parameters do not appear to be injectable" "$work/all.log" || true)
if [ "$tested" -lt 4 ]; then
  echo "sqlmap did not finish its four targets ($tested of 4): see $report" >&2
  exit 1
fi
echo "sqlmap: nothing injectable in $tested targets (report: $report)"
