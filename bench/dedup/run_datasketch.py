#!/usr/bin/env python3
"""grist dedup's MinHash job done with datasketch (pure Python + numpy), one thread, in grist
dedup's output format.

    python3 bench/dedup/run_datasketch.py CORPUS.jsonl OUT.jsonl [--normalize simplify|lower]

Same job and settings as `grist dedup -c bench/dedup/minhash.yaml` without verification (see
peer_job.py): datatrove's simplify_text, word 5-gram shingles split at spaces, 112 permutations in
14 bands x 8 rows (threshold 0.8), union-find over the candidate pairs, keep first. datasketch's parts,
with its defaults otherwise:
  sketch  MinHash(num_perm=112, seed=1).update_batch(shingles as UTF-8 bytes): the default hash
          (sha1_hash32: the first 4 bytes of SHA-1) and the default "affine32" scheme of 2.0.0
          (MurmurHash3's 32-bit finalizer, then a*h + b mod 2^32), 32-bit values
  LSH     MinHashLSH(threshold=0.8, num_perm=112, params=(14, 8)), filled in an insertion_session,
          then query(sketch) for every document (every document sharing one band with it)
`--normalize lower` replaces simplify_text and the split at spaces with
str.lower() and str.split() (peer_job.py: what the normalization costs). CPU seconds per phase
(time.process_time) as JSON on the last line of stdout; "sketch" is the MinHash construction and
update_batch alone.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "toolenv"))
import toolenv  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_job  # noqa: E402
from peer_job import BANDS, NUM_PERM, ROWS, SEED, THRESHOLD  # noqa: E402


def main() -> None:
    peer_job.single_threaded()
    toolenv.ensure(["datasketch", "datatrove", "orjson"], "bench/dedup/requirements.txt")
    from importlib.metadata import version

    from datasketch import MinHash, MinHashLSH

    corpus, out, normalize = peer_job.arguments(sys.argv, __doc__.split("\n\n")[1])
    clock = peer_job.Clock()
    ids, texts = peer_job.read_corpus(corpus, clock)

    sketched: list[int] = []
    sketches: list = []
    for indexes, sets in peer_job.shingle_batches(texts, clock, normalize):
        start = time.process_time()
        for shingles in sets:
            sketch = MinHash(num_perm=NUM_PERM, seed=SEED)
            sketch.update_batch([s.encode("utf-8") for s in shingles])
            sketches.append(sketch)
        clock.add("sketch", start)
        sketched.extend(indexes)
    del texts

    start = time.process_time()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, params=(BANDS, ROWS))
    with lsh.insertion_session() as session:
        for key, sketch in enumerate(sketches):
            session.insert(key, sketch, check_duplication=False)
    pairs = [(sketched[i], sketched[j]) for i, sketch in enumerate(sketches) for j in lsh.query(sketch) if j > i]
    clock.add("lsh", start)

    roots = peer_job.clusters(len(ids), iter(pairs), clock)
    counts = peer_job.write_output(out, ids, roots, clock)
    peer_job.report("datasketch", version("datasketch"), normalize, len(ids), len(sketched), len(pairs), counts, clock)


if __name__ == "__main__":
    main()
