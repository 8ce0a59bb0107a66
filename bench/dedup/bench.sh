#!/usr/bin/env bash
# make bench-dedup: quality and speed of `grist dedup` beside datatrove 0.10.1's MinHash, rensa's
# (Rust) and datasketch's, on real text with planted near-duplicates (bench/dedup/plant.py). One worker
# each; CPU seconds (user + system), because the machine may be shared: compare the ratio, not the
# wall clock. rensa and datasketch do grist's job (run_rensa.py, run_datasketch.py, peer_job.py).
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

run_peer() {  # name script [args]: bench/dedup/run_SCRIPT.py, grist's job without verification, one thread
  local name=$1 script=$2; shift 2
  /usr/bin/time -f "%U %S %M %e" -o "$OUT/$name.time" \
    $PY "bench/dedup/run_$script.py" "$CORPUS" "$OUT/$name.jsonl" "$@" > "$OUT/$name.log" 2> "$OUT/$name.stderr"
  tail -n 1 "$OUT/$name.stderr"
  read -r user sys rss wall < "$OUT/$name.time"
  echo "  whole process: $(python3 -c "print(f'{$user+$sys:.2f}')") CPU-s ($user user + $sys sys), $wall s wall, peak RSS $((rss / 1024)) MB"
}
run_peer rensa rensa
run_peer datasketch datasketch
# the same rensa job with only str.lower() and str.split() before the shingles: what datatrove's
# normalization (simplify_text, in Python) costs the peers
run_peer rensa-lower rensa --normalize lower

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
print(f"  grist dedup (verify)             {mb / g:8.2f} MB/CPU-s  ({g:.2f} CPU-s)")
print(f"  grist dedup (no verify)          {mb / gn:8.2f} MB/CPU-s  ({gn:.2f} CPU-s)")
print(f"  datatrove, 4 stages              {mb / d:8.2f} MB/CPU-s  ({d:.2f} CPU-s in the stages; {cpu('datatrove'):.2f} with start-up)")
print(f"  ratio grist / datatrove          {d / g:8.1f}x (verify), {d / gn:.1f}x (no verify)")
# rensa and datasketch: the whole job is the whole process (/usr/bin/time: Python start-up, imports,
# reading, shingling, sketches, LSH, clusters, output); "sketches" is the library's sketch calls alone.
for name in ("rensa", "datasketch", "rensa-lower"):
    log = json.loads(open(f"{out}/{name}.log").read().strip().splitlines()[-1])
    whole, phases, sketch = cpu(name), log["cpu_seconds"], log["sketch_cpu_seconds"]
    lib = sketch + phases.get("lsh", 0.0)
    label = f"{log['tool']} {log['version']}" + (f" ({log['normalize']})" if log["normalize"] != "simplify" else "")
    print(f"  {label + ', whole job':<33}{mb / whole:8.2f} MB/CPU-s  ({whole:.2f} CPU-s: "
          + ", ".join(f"{k} {v:.2f}" for k, v in phases.items()) + ", the rest start-up and imports)")
    print(f"  {name + ', sketches alone':<33}{mb / sketch:8.2f} MB/CPU-s  ({sketch:.2f} CPU-s; sketches + LSH {lib:.2f})")
    print(f"  {'ratio grist / ' + name:<33}{whole / g:8.1f}x whole job (verify), {whole / gn:.1f}x (no verify); "
          f"{name}'s sketches alone / grist's whole job {sketch / g:.2f}x, sketches + LSH {lib / g:.2f}x")
    if name.startswith("rensa"):
        print(f"  grist keeps at least 3x {name}'s CPU efficiency on the whole job: {'yes' if whole / g >= 3 else 'NO'}"
              f" ({whole / g:.1f}x)")
PY
echo
$PY bench/dedup/evaluate.py "$CORPUS" "$DATA/truth.jsonl" \
  grist="$OUT/grist.jsonl" grist-noverify="$OUT/grist-noverify.jsonl" datatrove="$OUT/datatrove.jsonl" \
  rensa="$OUT/rensa.jsonl" datasketch="$OUT/datasketch.jsonl" rensa-lower="$OUT/rensa-lower.jsonl"
