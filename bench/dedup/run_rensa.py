#!/usr/bin/env python3
"""grist dedup's MinHash job done with rensa (Rust MinHash, PyO3 bindings), one thread, in
grist dedup's output format.

    python3 bench/dedup/run_rensa.py CORPUS.jsonl OUT.jsonl [--normalize simplify|lower]

Same job and settings as `grist dedup -c bench/dedup/minhash.yaml` without verification (see
peer_job.py): datatrove's simplify_text, word 5-gram shingles split at spaces, 112 permutations in
14 bands x 8 rows (threshold 0.8), union-find over the candidate pairs, keep first. rensa's parts:
  sketch  RMinHash.from_token_sets(shingle lists, num_perm=112, seed=1): rensa hashes each shingle
          string itself (FxHash, 64-bit) and computes R-MinHash (its variant of Fast Similarity
          Sketching: each token picks a slot in bucket rounds, empty slots fall back to a hash of
          every token), 32-bit values
  LSH     RMinHashLSH(threshold=0.8, num_perm=112, num_bands=14): insert_many, then query_all: the
          candidates of each document (every document sharing one band with it)
RAYON_NUM_THREADS=1 (one worker). `--normalize lower` replaces simplify_text and the split at spaces with
str.lower() and str.split() (peer_job.py: what the normalization costs). CPU seconds per phase
(time.process_time) as JSON on the last line of stdout; "sketch" is the from_token_sets calls alone.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "toolenv"))
import toolenv  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_job  # noqa: E402
from peer_job import BANDS, NUM_PERM, SEED, THRESHOLD  # noqa: E402


def main() -> None:
    peer_job.single_threaded()
    toolenv.ensure(["rensa", "datatrove", "orjson"], "bench/dedup/requirements.txt")
    from importlib.metadata import version

    import rensa

    corpus, out, normalize = peer_job.arguments(sys.argv, __doc__.split("\n\n")[1])
    clock = peer_job.Clock()
    ids, texts = peer_job.read_corpus(corpus, clock)

    sketched: list[int] = []  # document index of each sketch
    sketches: list = []
    for indexes, sets in peer_job.shingle_batches(texts, clock, normalize):
        start = time.process_time()
        sketches.extend(rensa.RMinHash.from_token_sets(sets, num_perm=NUM_PERM, seed=SEED))
        clock.add("sketch", start)
        sketched.extend(indexes)
    del texts

    start = time.process_time()
    lsh = rensa.RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=BANDS)
    lsh.insert_many(sketches)
    candidates = lsh.query_all(sketches)
    pairs = [(sketched[i], sketched[j]) for i, keys in enumerate(candidates) for j in keys if j > i]
    clock.add("lsh", start)

    roots = peer_job.clusters(len(ids), iter(pairs), clock)
    counts = peer_job.write_output(out, ids, roots, clock)
    peer_job.report("rensa", version("rensa"), normalize, len(ids), len(sketched), len(pairs), counts, clock)


if __name__ == "__main__":
    main()
