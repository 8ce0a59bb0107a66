#!/usr/bin/env python3
"""Writes N short JSONL documents made of real text (consecutive lines of the shipped corpora), for
benchmarks that need many documents. Deterministic: the same N gives the same bytes."""
import glob, json, sys

def main():
    count = int(sys.argv[1]); out = sys.argv[2]
    lines = []
    for path in sorted(glob.glob("corpora/shakespeare/*.txt")):
        with open(path, encoding="utf-8") as f:
            lines.extend(line.strip() for line in f if line.strip())
    with open(out, "w", encoding="utf-8") as f:
        for i in range(count):
            start = (i * 7919) % (len(lines) - 4)
            text = " ".join(lines[start:start + 2 + i % 3]) + f" ({i})"
            f.write(json.dumps({"id": f"doc-{i}", "text": text}) + "\n")

if __name__ == "__main__":
    main()
