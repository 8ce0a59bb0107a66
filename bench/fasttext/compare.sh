#!/usr/bin/env bash
# fastText's own C++ `predict-prob` against GristFilter/FastText, side by side, on the models in
# Tests/GristFilterTests/Fixtures/fasttext and their 549 texts (one per line, repeated 60 times):
# the outputs must agree (same labels, probabilities within 1e-5) and each side's CPU seconds are printed
# (the best of three runs of each program, whole process: loading the model, predicting, and writing
# the answers as text).
#
#   bench/fasttext/compare.sh            # needs g++, swiftc and the venv of scripts/toolenv (pip download)
#
# fastText 0.9.3 is built from its PyPI sdist with the flags its Python package uses (-O3
# -funroll-loops -march=native); the Swift side with swiftc -O -wmo from Sources/GristFilter/FastText.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-$REPO/.build/bench-fasttext}
PY=${GRIST_BENCH_VENV:-$REPO/.venv-bench}/bin/python
FIX=$REPO/Tests/GristFilterTests/Fixtures/fasttext
mkdir -p "$WORK/swift"
VERSION=$(awk -F'==' '/^fasttext==/{print $2}' "$REPO/scripts/toolenv/constraints.txt")
if [ ! -x "$WORK/fasttext" ]; then
    "$PY" -m pip download "fasttext==$VERSION" --no-binary :all: --no-deps --no-build-isolation -d "$WORK" >/dev/null 2>&1 \
        || "$PY" -m pip download "fasttext==$VERSION" --no-binary :all: --no-deps -d "$WORK" >/dev/null
    tar xzf "$WORK/fasttext-$VERSION.tar.gz" -C "$WORK"
    g++ -O3 -funroll-loops -march=native -std=c++17 -pthread -I"$WORK/fasttext-$VERSION/src" \
        "$WORK/fasttext-$VERSION"/src/*.cc -o "$WORK/fasttext"
fi
rm -f "$WORK"/swift/*.swift
for f in "$REPO"/Sources/GristFilter/FastText/*.swift; do sed 's/^import GristCore$//' "$f" > "$WORK/swift/$(basename "$f")"; done
cp "$REPO/bench/fasttext/FastTextBench.swift" "$WORK/swift/main.swift"
cp "$REPO/bench/fasttext/GristErrorShim.swift" "$WORK/swift/"
swiftc -O -wmo -module-name FTBench "$WORK"/swift/*.swift -o "$WORK/ftbench"
python3 - "$FIX/predictions.json" "$WORK/bench.txt" <<'PYEOF'
import json, sys
texts = json.load(open(sys.argv[1]))["texts"]
lines = [t.replace("\n", " ").replace("\r", " ").replace("\x00", " ") for t in texts]
with open(sys.argv[2], "w") as f:
    for _ in range(60):
        f.write("\n".join(lines) + "\n")
PYEOF
best() { for _ in 1 2 3; do /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; done | sort -n | head -1; }
printf "%-24s %10s %10s  %s\n" model "C++ CPU-s" "Swift CPU-s" "lines differing"
for m in softmax-wordngrams.bin softmax-charngrams.bin hs.bin ova.bin quant-qnorm.ftz quant-retrain.ftz quant-qout.ftz; do
    "$WORK/fasttext" predict-prob "$FIX/$m" "$WORK/bench.txt" 3 > "$WORK/cpp.txt"
    "$WORK/ftbench" "$FIX/$m" "$WORK/bench.txt" 3 "$WORK/swift.txt" 2>/dev/null
    differing=$(python3 - "$WORK/cpp.txt" "$WORK/swift.txt" <<'PYEOF'
import sys
a = open(sys.argv[1]).read().split("\n"); b = open(sys.argv[2]).read().split("\n")
# a line differs when a rank's probability differs by more than 1e-5, or its label differs where the
# probabilities are not a near tie (within 1e-6): the order of a tie at float rounding depends on how
# fastText itself was compiled (the CLI built here and the pip package's module order one tie of
# quant-qout.ftz differently; the Swift side agrees with the pip package, the fixtures' reference)
bad = abs(len(a) - len(b))
ties = 0
for x, y in zip(a, b):
    xs, ys = x.split(), y.split()
    xp, yp = [float(p) for p in xs[1::2]], [float(q) for q in ys[1::2]]
    if len(xp) != len(yp) or any(abs(p - q) > 1e-5 for p, q in zip(xp, yp)):
        bad += 1
    elif xs[0::2] != ys[0::2]:
        tie = all(l == m or any(abs(yp[i] - yp[j]) <= 1e-6 and ys[2 * j] == l for j in range(len(yp))) or
                  (i > 0 and abs(xp[i] - xp[i - 1]) <= 1e-6) or (i + 1 < len(xp) and abs(xp[i] - xp[i + 1]) <= 1e-6)
                  for i, (l, m) in enumerate(zip(xs[0::2], ys[0::2])))
        if tie:
            ties += 1
        else:
            bad += 1
print(f"{bad} ({ties} near-tie swaps)")
PYEOF
)
    printf "%-24s %10s %10s  %s\n" "$m" "$(best "$WORK/fasttext" predict-prob "$FIX/$m" "$WORK/bench.txt" 3)" \
        "$(best "$WORK/ftbench" "$FIX/$m" "$WORK/bench.txt" 3 "$WORK/swift-timed.txt")" "$differing"
done
