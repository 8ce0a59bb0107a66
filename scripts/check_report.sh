#!/usr/bin/env bash
# Renders a `grist report` HTML file in headless Chromium (Debian's chromium package) and checks that it
# rendered: a screenshot of reasonable size, the DOM holds the charts, and the browser logged no script
# errors and no blocked network requests (the report's Content-Security-Policy forbids any).
#
# Given the build folder too, it also checks the charts' layout against the build's manifest (read with
# the sqlite3 shell): a copy of the report, with its Content-Security-Policy removed and a script added,
# is laid out by Chromium (light and dark theme) and the script measures what was drawn:
#   - every source has a legend entry with a fill of its own, not black, in a chart of series per source,
#     and every bar or swatch of every chart is filled with a colour;
#   - no text of a chart reaches past its edges (a clipped label);
#   - no legend entry overlaps a chart's title, another entry or any other text of its chart;
#   - the similarity chart has a "1.00 (exact)" row when the build has clusters of exact duplicates only;
#   - the training chart has one legend entry per training run recorded, each named "run N · …".
# Usage: scripts/check_report.sh REPORT.html OUT.png [BUILD_DIR]
set -euo pipefail
html=$(readlink -f "$1"); png=$2; build=${3:-}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
log=$work/log; dom=$work/dom.html
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
[ -n "$build" ] || exit 0

# --- Layout, measured in the browser against what the manifest says ---
manifest=$build/manifest.sqlite
[ -f "$manifest" ] || fail "no manifest at $manifest"
query() { sqlite3 -bail "$manifest" "$1"; }
run="(SELECT MAX(id) FROM run)"
sources=$(sqlite3 -bail -json "$manifest" "SELECT name FROM source WHERE runId = $run ORDER BY position")
exact=$(query "SELECT COUNT(*) FROM duplicateCluster WHERE runId = $run AND minSimilarity >= 1")
runs=0
if [ "$(query "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'trainingRun'")" = 1 ]; then
  runs=$(query "SELECT COUNT(*) FROM trainingRun")
fi
expected="{\"sources\": ${sources:-[]}, \"exactClusters\": $exact, \"trainingRuns\": $runs}"

cat >"$work/probe.js" <<'JS'
(() => {
  const problems = [], notes = [];
  const rect = (e) => e.getBoundingClientRect();
  const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const name = (svg) => svg.getAttribute('aria-label');
  const words = (e) => [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join('');
  const filled = (e) => { const f = getComputedStyle(e).fill; return f && f !== 'none' && f !== 'rgb(0, 0, 0)' && !f.startsWith('rgba(0, 0, 0, 0') ? f : null; };
  const charts = [...document.querySelectorAll('svg.chart')];
  for (const svg of charts) {
    const box = rect(svg);
    for (const t of svg.querySelectorAll('text')) {
      const r = rect(t);
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        problems.push(`text "${words(t)}" of chart "${name(svg)}" reaches past the chart's edge`);
      }
    }
    const entries = [...svg.querySelectorAll('.legend .entry')];
    const others = [...svg.querySelectorAll('text')].filter((t) => !t.closest('.legend'));
    entries.forEach((entry, i) => {
      for (const t of others) {
        if (overlap(rect(entry), rect(t))) problems.push(`legend entry "${entry.dataset.series}" overlaps "${words(t)}" in chart "${name(svg)}"`);
      }
      entries.slice(i + 1).forEach((other) => {
        if (overlap(rect(entry), rect(other))) problems.push(`legend entries "${entry.dataset.series}" and "${other.dataset.series}" overlap in chart "${name(svg)}"`);
      });
    });
    for (const r of svg.querySelectorAll('rect')) {
      if (!filled(r)) problems.push(`a bar or swatch of chart "${name(svg)}" is ${getComputedStyle(r).fill}`);
    }
  }
  // Charts with a series per source: one legend entry per source, each its own colour, bars in it.
  const sources = expected.sources.map((s) => s.name);
  const perSource = charts.filter((svg) => {
    const series = [...svg.querySelectorAll('.legend .entry')].map((e) => e.dataset.series);
    return series.length === sources.length && series.every((s, i) => s === sources[i]);
  });
  if (sources.length > 1 && perSource.length === 0) problems.push(`no chart has a legend entry for each of the ${sources.length} sources`);
  for (const svg of perSource) {
    const fills = [...svg.querySelectorAll('.legend .entry rect')].map(filled);
    if (new Set(fills).size !== sources.length || fills.includes(null)) problems.push(`the sources of chart "${name(svg)}" share colours: ${fills.join(' ')}`);
    fills.forEach((fill, i) => {
      for (const bar of svg.querySelectorAll(`rect.c${i + 1}`)) {
        if (!bar.closest('.legend') && filled(bar) !== fill) problems.push(`a bar of "${sources[i]}" in chart "${name(svg)}" is not its legend colour`);
      }
    });
  }
  notes.push(`${sources.length} sources, each its own colour in ${perSource.length} charts`);
  const labels = [...document.querySelectorAll('svg.chart text')].map(words);
  if (expected.exactClusters > 0) {
    if (!labels.includes('1.00 (exact)')) problems.push(`${expected.exactClusters} clusters are exact duplicates only, but no chart labels "1.00 (exact)"`);
    else notes.push(`"1.00 (exact)" labelled (${expected.exactClusters} clusters)`);
  }
  if (expected.trainingRuns > 0) {
    const training = charts.filter((svg) => name(svg).startsWith('Training loss'));
    if (training.length !== 1) problems.push(`expected one training chart, found ${training.length}`);
    for (const svg of training) {
      const entries = [...svg.querySelectorAll('.legend .entry')].map((e) => e.dataset.series);
      if (entries.length !== expected.trainingRuns || !entries.every((e) => /^run \d+ · /.test(e))) {
        problems.push(`${expected.trainingRuns} training runs recorded, but the training chart's legend reads: ${entries.join(' | ')}`);
      }
      const strokes = [...svg.querySelectorAll('polyline')].map((p) => getComputedStyle(p).stroke);
      if (new Set(strokes).size < expected.trainingRuns) problems.push(`the training runs share line colours: ${[...new Set(strokes)].join(' ')}`);
    }
    notes.push(`${expected.trainingRuns} training runs in the legend`);
  }
  const out = document.createElement('pre');
  out.id = 'report-check';
  out.textContent = (problems.length ? problems.map((p) => 'FAIL ' + p) : ['OK ' + notes.join('; ')]).join('\n');
  document.body.append(out);
})();
JS
probe=$work/probe.html
{
  grep -v 'Content-Security-Policy' "$html" | sed '/^<\/body>/,$d'
  echo "<script>const expected = $(printf '%s' "$expected" | sed 's#</#<\\/#g');"
  cat "$work/probe.js"
  echo "</script></body></html>"
} >"$probe"
for theme in light dark; do
  extra=(); [ "$theme" = dark ] && extra=(--force-dark-mode --blink-settings=preferredColorScheme=0)
  timeout 120 chromium "${flags[@]}" "${extra[@]}" --window-size=1200,3000 --dump-dom "file://$probe" \
    2>"$work/probe.log" >"$work/probe.dom"
  # The probe's <pre> (its text has no "<": the DOM dump escapes it), lines kept.
  result=$(tr '\n' '\v' <"$work/probe.dom" | grep -o '<pre id="report-check">[^<]*</pre>' | sed -e 's/<[^>]*>//g' \
           -e 's/&quot;/"/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' | tr '\v' '\n' || true)
  [ -n "$result" ] || { cat "$work/probe.log" >&2; fail "the layout probe did not run ($theme theme)"; }
  if grep -q '^FAIL' <<<"$result"; then
    problems=$(grep -c '^FAIL' <<<"$result")
    grep '^FAIL' <<<"$result" | head -n 20 | sed 's/^FAIL /  /' >&2
    fail "$problems problems with the layout of the charts ($theme theme), the first ones above"
  fi
  echo "report layout ($theme theme): ${result#OK }; no text past a chart's edge, no legend over a title or label"
done
