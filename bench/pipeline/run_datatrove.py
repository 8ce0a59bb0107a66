#!/usr/bin/env python3
"""The whole chain in datatrove 0.10.1, one worker: what `grist build bench/pipeline/compare.yaml` does.

    python3 bench/pipeline/run_datatrove.py CORPUS.jsonl WORK_DIR TOKENIZER.json [--no-filters]
    python3 bench/pipeline/run_datatrove.py --check-tokenizer CORPUS.jsonl TOKENIZER.json GRIST_BIN

The second form checks that TOKENIZER.json encodes the first 200 documents exactly as
`grist tokenizer encode` does (tiktoken's gpt2), and exits.

Stages, each a LocalPipelineExecutor(tasks=…, workers=1), in this process (so its CPU time is ours):
  1. filter:  JsonlReader → GopherRepetitionFilter → GopherQualityFilter → C4QualityFilter →
              FineWebQualityFilter (all with their defaults, in FineWeb's order) → JsonlWriter (the
              kept documents, uncompressed) → MinhashDedupSignature            (1 task)
  2. buckets: MinhashDedupBuckets                                        (14 tasks, one per band)
  3. cluster: MinhashDedupCluster                                        (1 task)
  4. tokenize: JsonlReader (the kept documents) → MinhashDedupFilter → DocumentTokenizer (GPT-2 from
              TOKENIZER.json, <|endoftext|> after each document, documents shuffled)   (1 task)
  5. shards:  DocumentTokenizerMerger (shuffled, 100 M tokens per file)  (1 task)
--no-filters leaves the four filters out (the rest of the chain then sees every document).
MinHash: the default MinhashConfig (5-grams, 14 buckets × 8 hashes, seed 1, 64-bit xxhash), which is
grist's `dedup: {minhash: {}}`. TOKENIZERS_PARALLELISM=false keeps the tokenizer on one thread.
Prints one JSON line: CPU seconds per stage (user + system from getrusage, this process and its
children), wall seconds, document counts, tokens, and datatrove's own per-step times (stats.json).
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts", "toolenv"))
import toolenv  # noqa: E402

toolenv.ensure(["datatrove", "spacy", "tokenizers", "xxhash", "orjson"], "bench/pipeline/requirements.txt")
os.environ["TOKENIZERS_PARALLELISM"] = "false"


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def step_name(name: str) -> str:
    """"🔻 - FILTER: 👯 Gopher Repetition" -> "filter: Gopher Repetition"."""
    name = re.sub(r"\s+", " ", re.sub(r"[^\x20-\x7e]", "", name)).strip(" -")
    kind, _, rest = name.partition(":")
    return f"{kind.strip().lower()}: {rest.strip()}" if rest else name


def step_times(stats_path: str) -> dict[str, dict]:
    """datatrove's own figures per pipeline step of a stage (stats.json, summed over its tasks): seconds
    and the step's counters. MinHash stage 1 times its whole loop, which pulls the documents through the
    steps before it: their time is subtracted to leave its own."""
    with open(stats_path) as f:
        stats = json.load(f)
    steps: dict[str, dict] = {}
    before = 0.0
    for step in stats:
        name = step_name(step.get("name", "?"))
        timing = step.get("time_stats", 0)
        seconds = timing.get("total", 0.0) if isinstance(timing, dict) else float(timing or 0)
        if name == "dedup: MinHash stage 1":
            seconds = max(0.0, seconds - before)
        before += seconds
        counters = {}
        for key, value in step.get("stats", {}).items():
            if isinstance(value, (int, float)):
                counters[key] = value
            elif isinstance(value, dict) and "total" in value:
                counters[key] = value["total"]
        steps[name] = {"seconds": round(seconds, 2), "stats": counters}
    return steps


def check_tokenizer(corpus: str, tokenizer: str, grist: str, documents: int = 200) -> int:
    """The tokenizer.json encodes like `grist tokenizer encode` (tiktoken's gpt2) on the first documents."""
    import subprocess
    import tempfile

    from tokenizers import Tokenizer

    hf = Tokenizer.from_file(tokenizer)
    checked = 0
    with open(corpus, encoding="utf-8") as f, tempfile.TemporaryDirectory() as tmp:
        for line in f:
            text = json.loads(line)["text"]
            path = os.path.join(tmp, "doc.txt")
            with open(path, "w", encoding="utf-8") as g:
                g.write(text)
            ours = [int(x) for x in subprocess.run([grist, "tokenizer", "encode", path], check=True,
                                                   capture_output=True).stdout.split()]
            if hf.encode(text).ids != ours:
                raise SystemExit(f"{tokenizer} and grist encode document {checked} differently")
            checked += 1
            if checked == documents:
                break
    return checked


def main() -> None:
    import logging

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter, GopherQualityFilter,
                                            GopherRepetitionFilter)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.tokens import DocumentTokenizer, DocumentTokenizerMerger
    from datatrove.pipeline.writers import JsonlWriter
    from loguru import logger

    logger.remove()
    logger.add(sys.stderr, level="WARNING")
    logging.getLogger().setLevel(logging.WARNING)

    if sys.argv[1] == "--check-tokenizer":
        checked = check_tokenizer(sys.argv[2], sys.argv[3], sys.argv[4])
        print(f"{sys.argv[3]}: the first {checked} documents of {sys.argv[2]} encode as with grist")
        return
    corpus, work, tokenizer = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    filters = [] if "--no-filters" in sys.argv[4:] else [GopherRepetitionFilter(), GopherQualityFilter(),
                                                          C4QualityFilter(), FineWebQualityFilter()]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    data_dir, name = os.path.dirname(os.path.abspath(corpus)), os.path.basename(corpus)
    config = MinhashConfig()

    stages = [
        ("filter", [JsonlReader(data_dir, glob_pattern=name, text_key="text", id_key="id", compression=None),
                    *filters,
                    JsonlWriter(f"{work}/filtered", compression=None),
                    MinhashDedupSignature(output_folder=f"{work}/signatures", config=config)], 1),
        ("buckets", [MinhashDedupBuckets(input_folder=f"{work}/signatures", output_folder=f"{work}/buckets",
                                         config=config)], config.num_buckets),
        ("cluster", [MinhashDedupCluster(input_folder=f"{work}/buckets", output_folder=f"{work}/remove_ids",
                                         config=config)], 1),
        ("tokenize", [JsonlReader(f"{work}/filtered", text_key="text", id_key="id", compression=None),
                      MinhashDedupFilter(input_folder=f"{work}/remove_ids"),
                      DocumentTokenizer(output_folder=f"{work}/tokens", tokenizer_name_or_path=tokenizer,
                                        eos_token="<|endoftext|>", seed=20240520)], 1),
        ("shards", [DocumentTokenizerMerger(input_folder=f"{work}/tokens", output_folder=f"{work}/shards",
                                            save_filename="train", max_tokens_per_file=100_000_000,
                                            seed=20240520, progress=False)], 1),
    ]
    seconds, steps = {}, {}
    wall = time.time()
    for stage, pipeline, tasks in stages:
        start = cpu()
        LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1, logging_dir=f"{work}/logs/{stage}",
                              skip_completed=False).run()
        seconds[stage] = round(cpu() - start, 2)
        steps[stage] = step_times(f"{work}/logs/{stage}/stats.json")
    wall = time.time() - wall
    tokens = 0
    for entry in sorted(os.listdir(f"{work}/shards")):
        if entry.endswith(".ds"):
            tokens += os.path.getsize(f"{work}/shards/{entry}") // 2
    print(json.dumps({"cpu_seconds": seconds, "total_cpu_seconds": round(sum(seconds.values()), 2),
                      "wall_seconds": round(wall, 2), "tokens": tokens, "steps": steps}))


if __name__ == "__main__":
    main()
