#!/usr/bin/env bash
# Valid HTML (issue #32): the W3C's Nu Html Checker (npm vnu-jar, locked in
# tests/browser/package-lock.json, run with the machine's Java) over the HTML the test suite
# saved in target/html-check/: every page of the screenshot sweep as served (storefront,
# account, checkout, order, legal pages, back-office; French and English) and the HTML part of
# every kind of email the tests queued, in each language. Prints each file's result and every
# warning; exits non-zero when any file has an error.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=tests/browser/node_modules/vnu-jar/build/dist/vnu.jar
[ -f "$jar" ] || { echo "no $jar: run npm ci in tests/browser"; exit 1; }
mapfile -t files < <(find target/html-check/pages target/html-check/emails -name '*.html' -not -name '.*' 2>/dev/null | sort)
pages=$(printf '%s\n' "${files[@]}" | grep -c '/pages/' || true)
emails=$(printf '%s\n' "${files[@]}" | grep -c '/emails/' || true)
echo "$pages pages and $emails emails saved by the suite"
# A sweep that saved nothing must not pass for a clean one.
if [ "$pages" -lt 70 ] || [ "$emails" -lt 38 ]; then
  echo "too few files: did the browser sweep and the tests run?"
  exit 1
fi
report=$(mktemp)
java -jar "$jar" --format json --exit-zero-always "${files[@]}" 2>"$report"
python3 - "$report" "${files[@]}" <<'EOF'
import json, sys
report, files = sys.argv[1], sys.argv[2:]
messages = json.load(open(report)).get("messages", [])
by_file = {}
for m in messages:
    path = m.get("url", "").removeprefix("file:")
    by_file.setdefault(path, []).append(m)
errors = 0
for f in files:
    found = [m for p, ms in by_file.items() if p == f or p.endswith("/" + f) for m in ms]
    errs = [m for m in found if m.get("type") in ("error", "non-document-error")]
    warns = [m for m in found if m.get("type") == "info" and m.get("subType") == "warning"]
    errors += len(errs)
    print(f"{'FAILED' if errs else 'ok':6} {f}: {len(errs)} errors, {len(warns)} warnings")
    for m in errs + warns:
        kind = "error" if m in errs else "warning"
        print(f"         {kind} line {m.get('lastLine', '?')}: {m.get('message', '')}")
print(f"{len(files)} files checked, {errors} errors")
sys.exit(1 if errors else 0)
EOF
