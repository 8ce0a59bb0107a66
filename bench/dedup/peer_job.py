"""The parts of bench/dedup's MinHash peers (run_rensa.py, run_datasketch.py) that are the same for
both: reading the corpus, the shingles, the clusters, the output and the CPU clock per phase.

The job is grist's (bench/dedup/minhash.yaml, without verification): normalize each document with
datatrove 0.10.1's `simplify_text` (the function grist's TextNormalizer reproduces byte for byte),
split it at spaces, take every window of 5 words joined by one space as a shingle (a document with
fewer than 5 words has none and is skipped), sketch the shingle set with 112 permutations, band the
sketches 14 x 8 with the library's own LSH index, join every candidate pair (union-find), and keep
the first document of each cluster in input order. Only the sketch and the LSH index are the
library's; everything else is this module, the same for both peers.

Output: grist dedup's format, {"id", "cluster", "keep"} for every document in a cluster of two or
more, in input order (evaluate.py reads it). The last line of stdout is JSON: CPU seconds
(time.process_time(), user + system of the whole process, all threads) per phase and in all.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator

NGRAM = 5
BANDS = 14
ROWS = 8
NUM_PERM = BANDS * ROWS  # 112
THRESHOLD = 0.8
SEED = 1
BATCH = 512  # documents normalized and sketched at a time (bounds the memory held by shingle strings)


class Clock:
    """CPU seconds (time.process_time: user + system of this process, every thread) per phase."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.start_wall = time.time()

    def add(self, phase: str, since: float) -> float:
        now = time.process_time()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - since
        return now


def read_corpus(path: str, clock: Clock) -> tuple[list[str], list[str]]:
    """ids and texts of a JSONL corpus ({"id", "text"}), in file order."""
    try:
        import orjson

        loads: Callable = orjson.loads
    except ImportError:  # pragma: no cover
        loads = json.loads
    start = time.process_time()
    ids, texts = [], []
    with open(path, "rb") as f:
        for number, line in enumerate(f):
            if not line.strip():
                continue
            row = loads(line)
            ids.append(str(row.get("id", f"{path}:{number + 1}")))
            texts.append(row.get("text") or "")
    clock.add("read", start)
    return ids, texts


def arguments(argv: list[str], usage: str) -> tuple[str, str, str]:
    """CORPUS OUT [--normalize simplify|lower] -> (corpus, out, normalize)."""
    normalize = "simplify"
    if len(argv) == 5 and argv[3] == "--normalize" and argv[4] in ("simplify", "lower"):
        normalize = argv[4]
    elif len(argv) != 3:
        raise SystemExit(usage)
    return argv[1], argv[2], normalize


def words_function(normalize: str) -> Callable[[str], list[str]]:
    """simplify: datatrove's simplify_text, split at spaces (grist's words, the default). lower: only
    str.lower() and str.split() (any whitespace; punctuation stays on the words, digits stay), the
    cheapest preparation a library user writes, measured to show what the normalization costs."""
    if normalize == "lower":
        return lambda text: text.lower().split()
    from datatrove.utils.text import simplify_text

    return lambda text: simplify_text(text).split(" ")


def shingle_batches(texts: list[str], clock: Clock,
                    normalize: str = "simplify") -> Iterator[tuple[list[int], list[list[str]]]]:
    """(document indexes, shingle string lists) for the documents that have shingles, BATCH at a
    time; the time spent here is the "shingle" phase (normalizing included)."""
    words_of = words_function(normalize)
    for first in range(0, len(texts), BATCH):
        start = time.process_time()
        indexes, sets = [], []
        for i in range(first, min(first + BATCH, len(texts))):
            words = words_of(texts[i])
            if len(words) < NGRAM or not words[0]:
                continue
            indexes.append(i)
            sets.append([" ".join(words[k : k + NGRAM]) for k in range(len(words) - NGRAM + 1)])
        clock.add("shingle", start)
        yield indexes, sets


def clusters(count: int, pairs: Iterator[tuple[int, int]], clock: Clock) -> list[int]:
    """Union-find over document indexes; returns each document's root, the smallest index of its
    connected group (so the root is the first document in input order: keep first)."""
    start = time.process_time()
    parent = list(range(count))

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            if ra < rb:
                parent[rb] = ra
            else:
                parent[ra] = rb
    roots = [find(i) for i in range(count)]
    clock.add("cluster", start)
    return roots


def write_output(path: str, ids: list[str], roots: list[int], clock: Clock) -> dict:
    """grist dedup's output shape; cluster numbers follow the first document of each cluster."""
    start = time.process_time()
    size: dict[int, int] = {}
    for root in roots:
        size[root] = size.get(root, 0) + 1
    number: dict[int, int] = {}
    dropped = 0
    with open(path, "w", encoding="utf-8") as f:
        for i, root in enumerate(roots):
            if size[root] < 2:
                continue
            if root not in number:
                number[root] = len(number)
            dropped += root != i
            f.write(json.dumps({"id": ids[i], "cluster": number[root], "keep": root == i}) + "\n")
    clock.add("write", start)
    return {"clusters": len(number), "dropped": dropped}


def report(tool: str, version: str, normalize: str, documents: int, sketched: int, candidates: int, counts: dict,
           clock: Clock) -> None:
    seconds = {k: round(v, 3) for k, v in clock.seconds.items()}
    summary = {"tool": tool, "version": version, "normalize": normalize, "documents": documents, "sketched": sketched,
               "candidate_pairs": candidates, **counts, "cpu_seconds": seconds,
               "sketch_cpu_seconds": seconds.get("sketch", 0.0),
               "total_cpu_seconds": round(sum(clock.seconds.values()), 3),
               "process_cpu_seconds": round(time.process_time(), 3),
               "wall_seconds": round(time.time() - clock.start_wall, 2)}
    print(f"{tool} {version} ({normalize}): {documents} documents ({sketched} with shingles), {candidates} candidate pairs, "
          f"{counts['clusters']} clusters, {counts['dropped']} dropped; CPU-s "
          + ", ".join(f"{k} {v:.2f}" for k, v in seconds.items()), file=sys.stderr)
    print(json.dumps(summary))
    sys.stdout.flush()


def single_threaded() -> None:
    """One worker: no Rayon or BLAS thread pools (process_time counts every thread anyway)."""
    for name in ("RAYON_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
