#!/usr/bin/env bash
# Builds the release binary, copies it alone into an empty folder (no Rocket.toml, no
# templates, no static files) and checks that it serves the demo shop there.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

cargo build --locked --release
dir=$(mktemp -d)
port=${SMOKE_PORT:-18080}
cp target/release/comptoir "$dir/"
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

cd "$dir"
ROCKET_PORT=$port ROCKET_ADDRESS=127.0.0.1 ROCKET_BCRYPT_COST=4 ./comptoir serve --demo >serve.log 2>&1 &
pid=$!

fetch() { curl -fsS --max-time 5 "http://127.0.0.1:$port$1"; }
wait_for_shop "http://127.0.0.1:$port" 100 || true

fail() { echo "smoke test failed: $*"; cat serve.log; exit 1; }
# Read whole pages before grepping: `grep -q` stops at the first match, and curl then fails on
# the closed pipe (exit 23), which `pipefail` reports as a failure.
has() { fetch "$1" >page.out && grep -q "$2" page.out; }
has / "Épicerie fine" || fail "home page lacks the demo catalogue"
has / "/media/thumbs/" || fail "the demo products have no pictures"
head() { curl -fsSI --max-time 5 "http://127.0.0.1:$port$1" >head.out && grep -qi "$2" head.out; }
head / "^content-type: text/html" || fail "pages are not served as HTML"
head /static/css/shop.css "^content-type: text/css" || fail "CSS type"
has /static/css/shop.css ":root" || fail "stylesheet not embedded"
has /products/moutarde-de-dijon-a-l-ancienne "4,50" || fail "product page"
grep -q "Staff login (shown once): staff@comptoir.test" serve.log || fail "no staff login printed"
[ -f comptoir.db ] || fail "no SQLite file in the working directory"
[ -f data/shop_secret ] || fail "no generated secret"
rm -f page.out head.out
echo "release binary serves the shop from an empty folder: ok"
