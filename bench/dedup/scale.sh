#!/usr/bin/env bash
# make bench-dedup-scale: `grist dedup` on 10 million short documents (about 2.5 GB of JSONL, made by
# bench/dedup/scale.py) under a 2 GB memory budget (memory_mb: 2048), and again under 512 MB to show
# that memory follows the budget, not the corpus. Reports wall time, CPU time and peak RSS
# (/usr/bin/time). The machine may be shared with other jobs: CPU seconds are the comparable figure.
set -euo pipefail
cd "$(dirname "$0")/../.."
GRIST=${GRIST:-.build/release/grist}
OUT=${OUT:-out/bench-dedup}
DOCUMENTS=${DOCUMENTS:-10000000}
WORKERS=${WORKERS:-$(nproc)}
DATA="$OUT/scale-$DOCUMENTS"
mkdir -p "$OUT"
[ -s "$DATA/part-00.jsonl" ] || python3 bench/dedup/scale.py "$DATA" --documents "$DOCUMENTS"
echo "corpus: $DATA, $DOCUMENTS documents, $(du -sh --apparent-size "$DATA" | cut -f1) ($(nproc) cores, $WORKERS workers, load $(cut -d' ' -f1-3 /proc/loadavg))"
for budget in ${BUDGETS:-2048 512}; do
  printf 'dedup:\n  exact: true\n  minhash: {verify: true, threshold: 0.8, memory_mb: %s}\n' "$budget" > "$OUT/scale-$budget.yaml"
  /usr/bin/time -f "%U %S %M %e" -o "$OUT/scale-$budget.time" \
    "$GRIST" dedup -c "$OUT/scale-$budget.yaml" "$DATA"/part-*.jsonl -w "$WORKERS" \
    -o "$OUT/scale-$budget.jsonl" --work "$OUT/scale-$budget.work" 2> "$OUT/scale-$budget.log"
  read -r user sys rss wall < "$OUT/scale-$budget.time"
  echo "memory_mb: $budget: $(tail -n 1 "$OUT/scale-$budget.log")"
  echo "  $wall s wall, $(python3 -c "print(f'{$user + $sys:.1f}')") CPU-s, peak RSS $((rss / 1024)) MB (budget $budget MB)"
done
