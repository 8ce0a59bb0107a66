#!/usr/bin/env bash
# Renders a `grist report` HTML file in headless Chromium (Debian's chromium package) and checks that it
# rendered: a screenshot of reasonable size, the DOM holds the charts, and the browser logged no script
# errors and no blocked network requests (the report's Content-Security-Policy forbids any).
# Usage: scripts/check_report.sh REPORT.html OUT.png
set -euo pipefail
html=$(readlink -f "$1"); png=$2
log=$(mktemp); dom=$(mktemp); trap 'rm -f "$log" "$dom"' EXIT
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-extensions
       --enable-logging=stderr --v=0)
timeout 120 chromium "${flags[@]}" --window-size=1200,3000 --screenshot="$png" "file://$html" 2>"$log" >/dev/null
timeout 120 chromium "${flags[@]}" --dump-dom "file://$html" 2>>"$log" >"$dom"
fail() { echo "report check failed: $*" >&2; exit 1; }
[ -s "$png" ] || fail "no screenshot was written"
size=$(stat -c %s "$png"); [ "$size" -gt 50000 ] || fail "the screenshot is only $size bytes (blank page?)"
charts=$(grep -o '<svg' "$dom" | wc -l); [ "$charts" -ge 4 ] || fail "the rendered page holds $charts charts, expected at least 4"
grep -q 'Gristmill build report' "$dom" || fail "the rendered page lacks its title"
if grep -E 'Uncaught|CONSOLE.*(Error|error)|Refused to (load|connect|apply)' "$log"; then
  fail "the browser logged errors (above)"
fi
echo "report check: $png ($size bytes), $charts charts, no script errors or blocked requests"
