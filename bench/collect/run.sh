#!/usr/bin/env bash
# bench-collect: extraction quality and speed of the readers, side by side with the reference tools.
#   1. HTML main text vs trafilatura on 400 real pages (Debian HTML documentation packages)
#   2. Wikitext to text vs mwparserfromhell's strip_code on a real Wikipedia export (gensim's test dump,
#      fetched here at bench time: Wikipedia text is CC BY-SA, so it is never committed to corpora/),
#      and on the shipped, permissively licensed corpora/formats/wiki/pydoc-sample.xml
#   3. JSONL.zst read throughput (decompressed MB/s, one core)
#   4. Parquet text-column reading, grist vs pyarrow, per CPU-second (snappy and zstd files)
# Needs: the release `grist` (make bench-collect builds it; $GRIST_BIN overrides), python3 with venv, PyPI
# and Debian apt. The reference tools (requirements.txt) go into .venv-bench/ through scripts/toolenv.
# Data goes to out/bench-collect/ (git-ignored); results to out/bench-collect/results/.
set -euo pipefail
export LC_ALL=C.UTF-8 OPENBLAS_NUM_THREADS=1
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
GRIST="${GRIST_BIN:-$REPO/.build/release/grist}"
WORK="$REPO/out/bench-collect"
mkdir -p "$WORK/debs" "$WORK/src" "$WORK/results"

# The venv's python, with requirements.txt installed (pinned by scripts/toolenv/constraints.txt).
PY="$(python3 "$REPO/scripts/toolenv/toolenv.py" "$HERE/requirements.txt")"

# Real HTML pages: four Debian documentation packages made by four different generators
# (Sphinx, SQLite's own site generator, DocBook, AsciiDoc).
PKGS=(python3.11-doc sqlite3-doc postgresql-doc-15 git-doc)
(cd "$WORK/debs" && for p in "${PKGS[@]}"; do ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download "$p"; done)
for p in "${PKGS[@]}"; do [[ -d "$WORK/src/$p" ]] || dpkg-deb -x "$WORK/debs/${p}"_*.deb "$WORK/src/$p"; done
"$PY" - "$WORK" <<'PYEOF'
import os, sys
work = sys.argv[1]
roots = {"python3.11-doc": "usr/share/doc/python3.11/html", "sqlite3-doc": "usr/share/doc/sqlite3",
         "postgresql-doc-15": "usr/share/doc/postgresql-doc-15/html", "git-doc": "usr/share/doc/git-doc"}
pages = []
for name, sub in roots.items():
    root = os.path.join(work, "src", name, sub)
    files = []
    for d, ds, fs in os.walk(root):
        ds[:] = sorted(x for x in ds if not x.startswith(("_", ".")))
        for f in fs:
            p = os.path.join(d, f)
            if f.endswith(".html") and os.path.isfile(p) and not os.path.islink(p) \
                    and not f.startswith(("genindex", "search", "py-modindex")):
                files.append(p)
    files.sort()
    pages += files[::max(1, len(files) // 100)][:100]   # 100 pages per package, spread evenly
open(os.path.join(work, "pages.txt"), "w").write("\n".join(pages) + "\n")
print(len(pages), "pages")
PYEOF
echo "== HTML: grist vs trafilatura"
"$PY" "$HERE/html_quality.py" "$GRIST" "$WORK/pages.txt" --out "$WORK/results/html.json"

echo "== Wikitext: grist vs mwparserfromhell on real Wikipedia pages (gensim 4.4.0's test dump)"
# Only the dump is taken from the wheel (any platform's wheel carries the same test data), into
# out/bench-collect/ (git-ignored).
DUMP_NAME="enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
DUMP="$WORK/wikipedia/$DUMP_NAME"
if [[ ! -f "$DUMP" ]]; then
  rm -rf "$WORK/whl" && mkdir -p "$WORK/whl" "$WORK/wikipedia"
  "$PY" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary :all: \
    --python-version 3.11 --platform manylinux_2_28_x86_64 -d "$WORK/whl" gensim==4.4.0
  WHEEL="gensim-4.4.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl"
  echo "91a7fa5e814e7b1bad4b2dffa8d62c1e55410d5cbdf930714c1997ffb4404db8  $WORK/whl/$WHEEL" | sha256sum -c --quiet -
  "$PY" - "$WORK/whl/$WHEEL" "gensim/test/test_data/$DUMP_NAME" "$DUMP" <<'PYEOF'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
PYEOF
  rm -rf "$WORK/whl"
fi
"$PY" "$HERE/wikitext_quality.py" "$GRIST" "$DUMP" | tee "$WORK/results/wikitext-wikipedia.json"
echo "== Wikitext: grist vs mwparserfromhell on corpora/formats/wiki/pydoc-sample.xml (docs converted to wikitext)"
"$PY" "$HERE/wikitext_quality.py" "$GRIST" "$REPO/corpora/formats/wiki/pydoc-sample.xml" \
  | tee "$WORK/results/wikitext-pydoc-sample.json"

echo "== JSONL.zst throughput (one core)"
# 40 copies of the python-docs corpus (zstd frames concatenated): about 260 MB of JSON Lines.
BIG="$WORK/big.jsonl.zst"
if [[ ! -f "$BIG" ]]; then for i in $(seq 40); do cat "$REPO"/corpora/python-docs/*.jsonl.zst; done > "$BIG"; fi
BYTES=$("$PY" -c "
import sys, zstandard
r = zstandard.ZstdDecompressor().stream_reader(open(sys.argv[1], 'rb'), read_across_frames=True)
n = 0
while chunk := r.read(1 << 20): n += len(chunk)
print(n)" "$BIG")
for run in 1 2 3; do
  /usr/bin/time -f "%U %S" -o "$WORK/time.txt" "$GRIST" collect --count --format jsonl "$BIG" >/dev/null
  read -r user sys < "$WORK/time.txt"
  "$PY" -c "import sys; b,u,s=int(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print(f'run $run: {b/1e6:.0f} MB decompressed JSONL in {u+s:.2f} CPU-s = {b/1e6/(u+s):.0f} MB/s')" "$BYTES" "$user" "$sys"
done | tee "$WORK/results/jsonl-zst.txt"

echo "== Parquet: the text column, grist vs pyarrow (CPU-seconds, side by side)"
# A FineWeb-like file (text, id, url, dump, date, language, language_score, token_count) of the
# python-docs texts repeated to about 300 MB of text, written by pyarrow with its defaults (snappy,
# dictionary on, data page v1) in row groups of 1,000 rows (as datatrove writes FineWeb), and the same rows
# with zstd; and both again as one row group of all rows (300 MB of text in one column chunk: then page
# faults on fresh memory dominate both readers).
"$PY" - "$REPO" "$WORK" <<'PYEOF'
import glob, gzip, io, json, os, sys
import pyarrow as pa, pyarrow.parquet as pq, zstandard
repo, work = sys.argv[1], sys.argv[2]
texts = []
for path in sorted(glob.glob(os.path.join(repo, "corpora/python-docs/*.jsonl*"))):
    raw = open(path, "rb").read()
    raw = gzip.decompress(raw) if path.endswith(".gz") else zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw), read_across_frames=True).read()
    texts += [json.loads(line)["text"] for line in raw.splitlines()]
rows, total, k = [], 0, 0
while total < 300_000_000:
    t = texts[k % len(texts)]
    rows.append(t); total += len(t.encode()); k += 1
n = len(rows)
table = pa.table({"text": rows, "id": [f"<urn:uuid:{i:032x}>" for i in range(n)],
                  "url": [f"https://docs.python.org/3.11/page{i % 497}.html" for i in range(n)],
                  "dump": ["CC-MAIN-2024-10"] * n, "date": pa.array([1700000000_000000] * n, pa.timestamp("us")),
                  "language": ["en"] * n, "language_score": [0.9 + (i % 100) / 1000 for i in range(n)],
                  "token_count": list(range(n))})
for codec in ("snappy", "zstd"):
    for rows in (1_000, 100_000):
        out = os.path.join(work, f"fineweb-like-{codec}-rg{rows}.parquet")
        if not os.path.exists(out):
            pq.write_table(table, out, compression=codec, row_group_size=rows)
print(f"{n} rows, {total / 1e6:.0f} MB of text")
PYEOF
for codec in snappy zstd snappy-one-group zstd-one-group; do
  FILE="$WORK/fineweb-like-${codec%-one-group}-rg$([[ $codec == *one-group ]] && echo 100000 || echo 1000).parquet"
  for run in 1 2 3; do
    /usr/bin/time -f "%U %S" -o "$WORK/time-grist.txt" "$GRIST" collect --count --format parquet "$FILE" >/dev/null
    # pyarrow's CPU time of the read alone (all its threads), without the import.
    "$PY" -c "
import resource, sys, pyarrow.parquet as pq
r0 = resource.getrusage(resource.RUSAGE_SELF)
t = pq.read_table(sys.argv[1], columns=['text'])
r1 = resource.getrusage(resource.RUSAGE_SELF)
assert t.num_rows > 0
open(sys.argv[2], 'w').write(f'{r1.ru_utime - r0.ru_utime} {r1.ru_stime - r0.ru_stime}')" "$FILE" "$WORK/time-pyarrow.txt"
    "$PY" - "$FILE" "$WORK/time-grist.txt" "$WORK/time-pyarrow.txt" "$codec" "$run" <<'PYEOF'
import sys, pyarrow.parquet as pq, pyarrow.compute as pc
f, tg, tp, codec, run = sys.argv[1:]
text_mb = pc.sum(pc.binary_length(pq.read_table(f, columns=["text"])["text"])).as_py() / 1e6
g = sum(map(float, open(tg).read().split())); p = sum(map(float, open(tp).read().split()))
print(f"{codec} run {run}: {text_mb:.0f} MB of text: grist {g:.2f} CPU-s ({text_mb / g:.0f} MB/s), "
      f"pyarrow {p:.2f} CPU-s ({text_mb / p:.0f} MB/s): grist/pyarrow speed {p / g:.2f}x")
PYEOF
  done
done | tee "$WORK/results/parquet.txt"
