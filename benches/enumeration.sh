#!/usr/bin/env bash
# Measures whether login, registration and password-reset answers take the same time for an
# address that has an account and for one that has none (user enumeration by timing). Serves
# the release binary on a fresh SQLite shop (bcrypt at its production cost, 12) and prints, for
# each form, the median and spread of curl's total time over N requests of each kind.
# Usage: bash benches/enumeration.sh [requests per kind, default 8 (at most 9: the per-address
# login throttle allows 20 failures)]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
n=${1:-8}
port=${BENCH_PORT:-18092}
base="http://127.0.0.1:$port"

cargo build --locked --release
dir=$(mktemp -d)
cp target/release/comptoir "$dir/"
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"
ROCKET_PORT=$port ROCKET_ADDRESS=127.0.0.1 ROCKET_LOG_LEVEL=off ./comptoir serve >serve.log 2>&1 &
pid=$!
wait_for_shop "$base"

jar="$dir/jar"
token=$(csrf_token "$base" /register "$jar")
post() { # path, then form fields; prints seconds and status
  local path=$1; shift
  local args=()
  for f in "$@"; do args+=(--data-urlencode "$f"); done
  curl -sS -o /dev/null -b "$jar" -w '%{time_total} %{http_code}\n' --data-urlencode "_csrf=$token" "${args[@]}" "$base$path"
}
stats() { # label, then lines "seconds status"
  local label=$1
  sort -n | awk -v label="$label" '{ t[NR] = $1 * 1000; s[$2]++ } END {
    codes = ""; for (c in s) codes = codes c "×" s[c] " ";
    printf "  %-34s median %7.1f ms   min %7.1f   max %7.1f   (%s)\n", label, t[int((NR + 1) / 2)], t[1], t[NR], codes }'
}

known=()
for i in $(seq 1 "$n"); do known+=("known$i-$RANDOM@example.fr"); done
echo "Comptoir release build, SQLite, bcrypt cost 12, $(nproc) cores, $n requests of each kind"
echo "registration:"
for e in "${known[@]}"; do post /register "email=$e" "display_name=A" "password=a long enough passphrase" "password_confirm=a long enough passphrase"; done | stats "new address (account created)"
for e in "${known[@]}"; do post /register "email=$e" "display_name=A" "password=a long enough passphrase" "password_confirm=a long enough passphrase"; done | stats "known address (owner emailed)"
echo "login (wrong password):"
for e in "${known[@]}"; do post /login "email=$e" "password=not the password"; done | stats "known address"
for i in $(seq 1 "$n"); do post /login "email=nobody$i-$RANDOM@example.fr" "password=not the password"; done | stats "unknown address"
echo "password reset request:"
for e in "${known[@]}"; do post /password/forgot "email=$e"; done | stats "known address (link sent)"
for i in $(seq 1 "$n"); do post /password/forgot "email=nobody$i-$RANDOM@example.fr"; done | stats "unknown address"
