#!/usr/bin/env bash
# `grist stats` on the manifest of a one-million-document build: it should take well under a second,
# because it reads only summary tables. Prints wall and CPU seconds of the build and of stats.
set -euo pipefail
cd "$(dirname "$0")/../.."
grist=.build/release/grist
work=bench/out/stats
mkdir -p "$work"
docs=${DOCS:-1000000}
[ -f "$work/docs.jsonl" ] && [ "$(wc -l < "$work/docs.jsonl")" -eq "$docs" ] || python3 bench/stats/make_corpus.py "$docs" "$work/docs.jsonl"
cat > "$work/pipeline.yaml" <<YAML
version: 1
name: stats-bench
output: $work/out
sources:
  - {name: lines, format: jsonl, paths: [$work/docs.jsonl]}
mix: {val_fraction: 0.01}
shards: {tokens_per_shard: 50_000_000}
YAML
measure() { /usr/bin/time -f "%e s wall, %U s user + %S s sys, %M KB peak RSS" "$@"; }
echo "build of $docs documents ($(du -h "$work/docs.jsonl" | cut -f1)):"
measure "$grist" build "$work/pipeline.yaml" > /dev/null
echo "documents in the manifest: $(sqlite3 "$work/out/manifest.sqlite" 'SELECT COUNT(*) FROM document' 2>/dev/null || echo '?')"
echo "grist stats:"
measure "$grist" stats "$work/out" > /dev/null
echo "grist stats --json:"
measure "$grist" stats "$work/out" --json > /dev/null
