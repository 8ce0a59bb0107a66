#!/usr/bin/env python3
"""Precision and recall of deduplication outputs against planted ground truth, side by side.

    python3 bench/dedup/evaluate.py CORPUS TRUTH NAME=OUTPUT.jsonl [NAME=OUTPUT.jsonl ...]

OUTPUT lines are {"id", "cluster", "keep"} (grist dedup's format; run_datatrove.py writes datatrove's
clusters the same way).

Recall, by true Jaccard of the planted pair (variant, original): the share of pairs whose two
documents ended in one cluster.
Precision, by true Jaccard of each dropped document to the document kept in its cluster: the share
of dropped documents at or above each similarity. "precision at 0.8" is the share of dropped
documents within Jaccard 0.8 of what was kept instead (exact duplicates count as 1.0).
True Jaccard: 5-word shingle sets after datatrove's simplify_text, split at spaces (exact strings,
no hashing).
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "toolenv"))
import toolenv  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

RECALL_BINS = [(0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.75), (0.75, 0.8), (0.8, 0.85), (0.85, 0.9),
               (0.9, 0.95), (0.95, 1.0), (1.0, 1.01)]
PRECISION_AT = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]


def read_lines(path: str) -> list[dict]:
    if path.endswith(".zst"):
        import zstandard

        with open(path, "rb") as f:
            data = zstandard.ZstdDecompressor().stream_reader(f).read().decode("utf-8")
    else:
        with open(path, encoding="utf-8") as f:
            data = f.read()
    return [json.loads(line) for line in data.splitlines() if line.strip()]


def main() -> None:
    toolenv.ensure(["datatrove", "zstandard"], "bench/dedup/requirements.txt")
    from datatrove.utils.text import simplify_text

    corpus, truth_path, outputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    texts = {row["id"]: row["text"] for row in read_lines(corpus)}
    truth = read_lines(truth_path)
    cache: dict[str, tuple[str, set]] = {}

    def shingles(doc_id: str) -> tuple[str, set]:
        if doc_id not in cache:
            normalized = simplify_text(texts[doc_id])
            words = normalized.split()
            cache[doc_id] = (normalized, {" ".join(words[i : i + 5]) for i in range(len(words) - 4)})
        return cache[doc_id]

    def jaccard(a: str, b: str) -> float:
        (na, sa), (nb, sb) = shingles(a), shingles(b)
        if na == nb:
            return 1.0
        if not sa or not sb:
            return 0.0
        common = len(sa & sb)
        return common / (len(sa) + len(sb) - common)

    results = {}
    for spec in outputs:
        name, path = spec.split("=", 1)
        rows = read_lines(path)
        cluster = {r["id"]: r["cluster"] for r in rows}
        kept = {r["cluster"]: r["id"] for r in rows if r["keep"]}
        recall = []
        for lo, hi in RECALL_BINS:
            pairs = [t for t in truth if lo <= t["jaccard"] < hi]
            found = [t for t in pairs if t["id"] in cluster and cluster[t["id"]] == cluster.get(t["original"])]
            recall.append((len(found), len(pairs)))
        high = [t for t in truth if t["jaccard"] >= 0.8]
        found_high = sum(1 for t in high if t["id"] in cluster and cluster[t["id"]] == cluster.get(t["original"]))
        similarities = [jaccard(r["id"], kept[r["cluster"]]) for r in rows if not r["keep"] and r["cluster"] in kept]
        precision = [(sum(1 for s in similarities if s >= t), len(similarities)) for t in PRECISION_AT]
        results[name] = {"recall": recall, "recall_at_0.8": (found_high, len(high)), "precision": precision,
                         "dropped": len(similarities), "clusters": len(kept)}

    names = list(results)
    print(f"documents {len(texts)}, planted variants {len(truth)}, with true Jaccard >= 0.8: "
          f"{sum(1 for t in truth if t['jaccard'] >= 0.8)}")
    print()
    print("recall: planted pairs found in one cluster, by true Jaccard of the pair")
    print(f"  {'Jaccard':<12}{'pairs':>7}" + "".join(f"{n:>22}" for n in names))
    for i, (lo, hi) in enumerate(RECALL_BINS):
        label = "1.0 (exact)" if lo == 1.0 else f"[{lo:.2f}, {hi:.2f})"
        total = results[names[0]]["recall"][i][1]
        cells = "".join(f"{results[n]['recall'][i][0]:>12} ({results[n]['recall'][i][0] / max(total, 1):6.1%})"
                        for n in names)
        print(f"  {label:<12}{total:>7}" + cells)
    cells = "".join(f"{r['recall_at_0.8'][0]:>12} ({r['recall_at_0.8'][0] / max(r['recall_at_0.8'][1], 1):6.1%})"
                    for r in results.values())
    print(f"  {'>= 0.8':<12}{results[names[0]]['recall_at_0.8'][1]:>7}" + cells)
    print()
    print("precision: dropped documents within Jaccard t of the document kept instead")
    print(f"  {'t':<12}{'':>7}" + "".join(f"{n:>22}" for n in names))
    for i, t in enumerate(PRECISION_AT):
        cells = "".join(f"{r['precision'][i][0]:>7} /{r['precision'][i][1]:>5} ({r['precision'][i][0] / max(r['precision'][i][1], 1):6.1%})"
                        for r in results.values())
        print(f"  {'>= ' + str(t):<12}{'':>7}" + cells)
    print()
    print("  clusters  " + "".join(f"{r['clusters']:>22}" for r in results.values()))
    print("  dropped   " + "".join(f"{r['dropped']:>22}" for r in results.values()))
    summary = {n: {"recall_at_0.8": r["recall_at_0.8"][0] / max(r["recall_at_0.8"][1], 1),
                   "precision_at_0.8": r["precision"][PRECISION_AT.index(0.8)][0] / max(r["dropped"], 1)}
               for n, r in results.items()}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
