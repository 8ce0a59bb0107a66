#!/usr/bin/env bash
# make bench-dedup: quality and speed of `grist dedup` beside datatrove 0.10.1's MinHash, on real text
# with planted near-duplicates (bench/dedup/plant.py). One worker each; CPU seconds (user + system),
# because the machine may be shared: compare the ratio, not the wall clock.
#
#   bench/dedup/bench.sh            # full corpus (~80 MB: corpora/ + three Debian doc packages)
#   SIZE=small bench/dedup/bench.sh # the small committed set only (no download, seconds)
set -euo pipefail
cd "$(dirname "$0")/../.."
GRIST=${GRIST:-.build/release/grist}
PY=${PYTHON:-python3}
OUT=${OUT:-out/bench-dedup}
SIZE=${SIZE:-full}
mkdir -p "$OUT"

if [ "$SIZE" = small ]; then
  DATA="$OUT/small"; mkdir -p "$DATA"
  zstd -qdcf Tests/GristPipelineTests/Fixtures/planted/corpus.jsonl.zst > "$DATA/corpus.jsonl"
  cp Tests/GristPipelineTests/Fixtures/planted/truth.jsonl "$DATA/truth.jsonl"
else
  DATA="$OUT/full"
  [ -s "$DATA/truth.jsonl" ] || $PY bench/dedup/plant.py --out "$DATA" --size full
fi
CORPUS="$DATA/corpus.jsonl"
MB=$(python3 -c "import os; print(round(os.path.getsize('$CORPUS') / 1e6, 2))")
DOCS=$(wc -l < "$CORPUS")
echo "corpus: $CORPUS, $DOCS documents, $MB MB ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"

sed 's/verify: true/verify: false, max_cluster_size: 0/' bench/dedup/minhash.yaml > "$OUT/minhash-noverify.yaml"
run_grist() {  # name config
  /usr/bin/time -f "%U %S %M %e" -o "$OUT/$1.time" \
    "$GRIST" dedup -c "$2" "$CORPUS" -w 1 -o "$OUT/$1.jsonl" --work "$OUT/$1.work" 2> "$OUT/$1.log"
  read -r user sys rss wall < "$OUT/$1.time"
  echo "$1: $(tail -n 1 "$OUT/$1.log")"
  python3 -c "u,s,r,w=$user,$sys,$rss,$wall; print(f'  {u+s:.2f} CPU-s ({u} user + {s} sys), {w} s wall, peak RSS {r/1024:.0f} MB')"
}
run_grist grist bench/dedup/minhash.yaml
run_grist grist-noverify "$OUT/minhash-noverify.yaml"

echo "datatrove 0.10.1 (4 stages, 1 worker):"
/usr/bin/time -f "%U %S %M %e" -o "$OUT/datatrove.time" \
  $PY bench/dedup/run_datatrove.py "$CORPUS" "$OUT/datatrove.work" "$OUT/datatrove.jsonl" \
  > "$OUT/datatrove.log" 2> "$OUT/datatrove.stderr"
tail -n 1 "$OUT/datatrove.log"
read -r user sys rss wall < "$OUT/datatrove.time"
echo "  whole process: $(python3 -c "print(f'{$user+$sys:.2f}')") CPU-s, $wall s wall, peak RSS $((rss / 1024)) MB"

echo
echo "throughput, MB of JSONL per CPU-second (one worker each):"
python3 - "$OUT" "$MB" <<'PY'
import json, sys
out, mb = sys.argv[1], float(sys.argv[2])
def cpu(name):
    user, system = open(f"{out}/{name}.time").read().split()[:2]
    return float(user) + float(system)
stages = json.loads(open(f"{out}/datatrove.log").read().strip().splitlines()[-1])["total_cpu_seconds"]
g, gn, d = cpu("grist"), cpu("grist-noverify"), stages
print(f"  grist dedup (verify)     {mb / g:8.2f} MB/CPU-s  ({g:.2f} CPU-s)")
print(f"  grist dedup (no verify)  {mb / gn:8.2f} MB/CPU-s  ({gn:.2f} CPU-s)")
print(f"  datatrove, 4 stages      {mb / d:8.2f} MB/CPU-s  ({d:.2f} CPU-s in the stages; {cpu('datatrove'):.2f} with start-up)")
print(f"  ratio grist / datatrove  {d / g:8.1f}x (verify), {d / gn:.1f}x (no verify)")
PY
echo
$PY bench/dedup/evaluate.py "$CORPUS" "$DATA/truth.jsonl" \
  grist="$OUT/grist.jsonl" grist-noverify="$OUT/grist-noverify.jsonl" datatrove="$OUT/datatrove.jsonl"
