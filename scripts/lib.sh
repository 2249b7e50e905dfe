# Shell helpers shared by the scripts under scripts/ and benches/ that drive a running shop.
# Run them from the repository root after `. scripts/lib.sh`.

# wait_for_shop BASE_URL [tries]: returns once the home page answers (0.1 s between tries).
wait_for_shop() {
  local base=$1 tries=${2:-150}
  for _ in $(seq 1 "$tries"); do
    curl -fsS --max-time 5 "$base/" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the shop at $base did not answer" >&2
  return 1
}

# csrf_token BASE_URL PATH JAR: the form token of that page, keeping its cookies in JAR.
csrf_token() {
  curl -fsS -c "$3" -b "$3" "$1$2" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n1
}

# cookie_value JAR NAME: a cookie curl stored.
cookie_value() {
  awk -v name="$2" '$6 == name {print $7}' "$1"
}

# staff_session BASE_URL SERVE_LOG JAR: signs in with the demo staff login that
# `serve --demo` printed, and prints the session cookie's value.
staff_session() {
  local base=$1 log=$2 jar=$3 email password token
  read -r email password < <(sed -n 's/.*Staff login (shown once): \(.*\) \/ \(.*\)/\1 \2/p' "$log")
  if [ -z "${email:-}" ]; then
    echo "no staff login in $log" >&2
    return 1
  fi
  token=$(csrf_token "$base" /login "$jar")
  curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" \
    --data-urlencode "email=$email" --data-urlencode "password=$password" "$base/login"
  cookie_value "$jar" sid
}
