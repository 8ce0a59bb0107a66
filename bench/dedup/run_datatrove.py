#!/usr/bin/env python3
"""Run datatrove 0.10.1's four MinHash stages on a JSONL corpus with one worker, and write its
clusters in `grist dedup`'s format.

    python3 bench/dedup/run_datatrove.py CORPUS.jsonl WORK_DIR OUT.jsonl

Stages, as in datatrove's examples/minhash_deduplication.py, default MinhashConfig (5-grams, 14
buckets x 8 hashes, seed 1, xxhash 64-bit), each on LocalPipelineExecutor(tasks=…, workers=1):
  1. JsonlReader -> MinhashDedupSignature                  (1 task)
  2. MinhashDedupBuckets                                   (14 tasks, one per bucket, run in turn)
  3. MinhashDedupCluster(save_cluster_id=True)             (1 task)
  4. JsonlReader -> MinhashDedupFilter(load_cluster_ids)   (1 task) -> JsonlWriter (kept, removed)
OUT.jsonl gets {"id", "cluster", "keep"} for every document with a cluster id. CPU seconds
(user + system of this process and its children, from getrusage) are printed per stage and in all,
as JSON on the last line of stdout.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import resource
import shutil
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "toolenv"))
import toolenv  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    toolenv.ensure(["datatrove", "spacy", "orjson"], "bench/dedup/requirements.txt")
    import logging

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from datatrove.utils.hashing import HashConfig
    from loguru import logger

    logger.remove()
    logger.add(sys.stderr, level="WARNING")
    logging.getLogger().setLevel(logging.WARNING)

    corpus, work, out = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    data_dir, name = os.path.dirname(os.path.abspath(corpus)), os.path.basename(corpus)
    config = MinhashConfig(hash_config=HashConfig(precision=64, hash_fc="xxhash"))

    def reader():
        return JsonlReader(data_dir, glob_pattern=name, text_key="text", id_key="id", compression=None)

    stages = [
        ("signatures", [reader(), MinhashDedupSignature(output_folder=f"{work}/signatures", config=config)], 1),
        ("buckets", [MinhashDedupBuckets(input_folder=f"{work}/signatures", output_folder=f"{work}/buckets",
                                         config=config)], config.num_buckets),
        ("cluster", [MinhashDedupCluster(input_folder=f"{work}/buckets", output_folder=f"{work}/remove_ids",
                                         config=config, save_cluster_id=True)], 1),
        ("filter", [reader(),
                    MinhashDedupFilter(input_folder=f"{work}/remove_ids", load_cluster_ids=True,
                                       exclusion_writer=JsonlWriter(f"{work}/removed", compression=None)),
                    JsonlWriter(f"{work}/kept", compression=None)], 1),
    ]
    seconds = {}
    wall = time.time()
    for stage, pipeline, tasks in stages:
        start = cpu()
        LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1, logging_dir=f"{work}/logs/{stage}",
                              skip_completed=False).run()
        seconds[stage] = round(cpu() - start, 2)
    wall = time.time() - wall

    with open(out, "w") as f:
        for folder, keep in [("kept", True), ("removed", False)]:
            for path in sorted(glob.glob(f"{work}/{folder}/*.jsonl")):
                with open(path) as g:
                    for line in g:
                        row = json.loads(line)
                        cluster = row.get("metadata", {}).get("minhash_cluster_id", -1)
                        if cluster != -1:
                            f.write(json.dumps({"id": row["id"], "cluster": cluster, "keep": keep}) + "\n")
    print(json.dumps({"cpu_seconds": seconds, "total_cpu_seconds": round(sum(seconds.values()), 2),
                      "wall_seconds": round(wall, 2)}))


if __name__ == "__main__":
    main()
