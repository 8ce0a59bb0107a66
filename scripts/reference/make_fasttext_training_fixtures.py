#!/usr/bin/env python3
"""Record what fastText 0.9.3's own training gives, for GristFilterTests/FastTextTrainingTests.

    python3 scripts/reference/make_fasttext_training_fixtures.py

Runs inside <repo>/.venv-bench (scripts/toolenv; scripts/reference/requirements-fasttext.txt).
Builds the corpus the test builds (corpora/langid/heldout.jsonl: of each language, the documents
whose index within the language is 1, 2 or 3 mod 8 (of the first 40), as lines
"__label__LANG TEXT-with-newlines-as-spaces", ordered by (index, language)), trains fastText on it
with one thread in each configuration below, and writes the SHA-256 and size of each saved model
(.bin) to Tests/GristFilterTests/Fixtures/fasttext/training.json. GristFilter's trainer must write
the same bytes.

fastText 0.9.3 allocates its input matrix with posix_memalign and fills only its first tenth (one
training thread): the rest is whatever the allocation holds, zero when the memory comes fresh from
the kernel (mmap), leftovers of the heap otherwise (a model that differs from run to run, or
"Encountered NaN" at any learning rate). The script runs with MALLOC_MMAP_THRESHOLD_=65536, so every
allocation of 64 KiB or more is mmapped: the matrix is zero past its first tenth, as fastText's
large models always are and as GristFilter's trainer makes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "toolenv"))
from toolenv import REPO, ensure  # noqa: E402

ensure(["fasttext"], "scripts/reference/requirements-fasttext.txt")

if os.environ.get("MALLOC_MMAP_THRESHOLD_") != "65536":
    os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536"})

import fasttext  # noqa: E402

OUT = os.path.join(REPO, "Tests", "GristFilterTests", "Fixtures", "fasttext", "training.json")
SOURCE = os.path.join(REPO, "corpora", "langid", "heldout.jsonl")

# each: fastText's train_supervised arguments (thread 1, verbose 0 added)
CONFIGS = [
    {"name": "softmax", "dim": 8, "epoch": 4, "lr": 0.5, "wordNgrams": 2, "minn": 2, "maxn": 4, "bucket": 5000, "seed": 3},
    {"name": "hs", "loss": "hs", "dim": 8, "epoch": 3, "lr": 0.4, "wordNgrams": 2, "bucket": 3000, "minCount": 2},
    {"name": "ova", "loss": "ova", "dim": 6, "epoch": 3, "lr": 0.3, "seed": 11},
]


def corpus_lines() -> list[str]:
    by_lang: dict[str, list[str]] = {}
    with open(SOURCE, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            by_lang.setdefault(d["lang"], []).append(d["text"])
    picked = []
    for lang, texts in by_lang.items():
        for i, text in enumerate(texts[:40]):
            if i % 8 in (1, 2, 3):
                picked.append((i, lang, text))
    picked.sort(key=lambda t: (t[0], t[1]))
    return [f"__label__{lang} " + text.replace("\n", " ") for _, lang, text in picked]


def main() -> None:
    lines = corpus_lines()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "train.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        for config in CONFIGS:
            settings = {k: v for k, v in config.items() if k != "name"}
            model = fasttext.train_supervised(input=path, thread=1, verbose=0, **settings)
            out = os.path.join(tmp, config["name"] + ".bin")
            model.save_model(out)
            data = open(out, "rb").read()
            results.append({**config, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
            print(config["name"], len(data), "bytes")
    with open(OUT, "w") as f:
        json.dump({"fasttext": fasttext.__version__ if hasattr(fasttext, "__version__") else "0.9.3",
                   "examples": len(lines), "models": results}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
