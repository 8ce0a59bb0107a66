#!/usr/bin/env python3
"""Write a synthetic corpus of many short documents for the dedup scale benchmark.

    python3 bench/dedup/scale.py OUT_DIR [--documents 10000000] [--files 10] [--seed 7]

Each document is 8 to 14 random four-word phrases (32 to 56 words, about 250 bytes) drawn from
200,000 phrases made of words of the shipped corpora. 3% of the documents are exact copies of an
earlier one, 3% are near copies (one word replaced). Files OUT_DIR/part-NN.jsonl, {"id", "text"}.
Deterministic for a seed. Standard library only.
"""

import json
import os
import random
import re
import sys


def main() -> None:
    args = sys.argv[1:]
    out = args[0]
    documents = int(args[args.index("--documents") + 1]) if "--documents" in args else 10_000_000
    files = int(args[args.index("--files") + 1]) if "--files" in args else 10
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 7
    rng = random.Random(seed)
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    words = set()
    folder = os.path.join(repo, "corpora", "shakespeare")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            words.update(re.findall(r"[A-Za-z]{3,}", f.read()))
    words = sorted(words)
    phrases = [" ".join(rng.choice(words) for _ in range(4)) for _ in range(200_000)]
    os.makedirs(out, exist_ok=True)
    per_file = (documents + files - 1) // files
    recent: list[str] = []
    number = 0
    for part in range(files):
        with open(os.path.join(out, f"part-{part:02d}.jsonl"), "w", encoding="utf-8") as f:
            lines = []
            for _ in range(min(per_file, documents - number)):
                roll = rng.random()
                if roll < 0.03 and recent:
                    text = rng.choice(recent)
                elif roll < 0.06 and recent:
                    tokens = rng.choice(recent).split(" ")
                    tokens[rng.randrange(len(tokens))] = rng.choice(words)
                    text = " ".join(tokens)
                else:
                    text = " ".join(rng.choices(phrases, k=rng.randint(8, 14)))
                    if len(recent) < 10_000:
                        recent.append(text)
                    else:
                        recent[rng.randrange(10_000)] = text
                lines.append(f'{{"id": "s{number}", "text": {json.dumps(text)}}}\n')
                number += 1
                if len(lines) >= 100_000:
                    f.writelines(lines)
                    lines = []
            f.writelines(lines)
    print(f"{out}: {number} documents in {files} files", file=sys.stderr)


if __name__ == "__main__":
    main()
