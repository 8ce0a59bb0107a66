#!/usr/bin/env python3
"""Our vocabularies in Hugging Face `tokenizers`: same ids as our encoder on real text.

    python3 scripts/tokenizer/check_hf_tokenizer.py [--dir DIR] [--sizes 1000,8192,32768] [--patterns cl100k,o200k]

1. Trains vocabularies with `grist tokenizer train` on 10 MB of real text (realtext.py, every kind),
   loads the written tokenizer.json with `tokenizers.Tokenizer.from_file`, and compares its ids with
   `grist tokenizer encode --vocab tokenizer.json` and `--vocab tokenizer.tiktoken` on 5 MB of other
   documents (every kind).
   With --patterns, also an 8,192-token vocabulary trained with each of those pre-tokenizer patterns
   (written as a Split + ByteLevel pre-tokenizer).
2. GPT-2 as a tokenizer.json: builds one from the bundled ranks (merges recovered by re-running BPE on
   each token, as Hugging Face's GPT-2 file has them) and checks `tokenizers`, tiktoken and
   `grist tokenizer encode --vocab gpt2.json` agree on the same 5 MB.
Prints mismatch counts per document set; exits 1 on any mismatch. Runs itself in .venv-bench (scripts/toolenv).
"""

from __future__ import annotations

import argparse
import array
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "toolenv"))
import gpt2ref  # noqa: E402
import realtext  # noqa: E402
import toolenv  # noqa: E402


def bytes_to_unicode() -> dict[int, str]:
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    table, extra = {}, 0
    for b in range(256):
        if b in printable:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def gpt2_tokenizer_json(ranks: dict[bytes, int], path: str) -> None:
    """GPT-2's tokenizer.json from tiktoken ranks: each merge is the last step of BPE on the token."""
    b2u = bytes_to_unicode()
    enc = lambda bs: "".join(b2u[b] for b in bs)  # noqa: E731
    merges = []
    for token, rank in sorted(ranks.items(), key=lambda kv: kv[1]):
        if len(token) == 1:
            continue
        parts = [bytes([b]) for b in token]
        while len(parts) > 2:  # merge by rank, stopping before the final merge
            best = min(range(len(parts) - 1), key=lambda i: ranks.get(parts[i] + parts[i + 1], 1 << 30))
            if ranks.get(parts[best] + parts[best + 1], 1 << 30) >= rank:
                break
            parts[best:best + 2] = [parts[best] + parts[best + 1]]
        assert len(parts) == 2, token
        merges.append(enc(parts[0]) + " " + enc(parts[1]))
    data = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": 50256, "content": "<|endoftext|>", "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": True, "special": True}],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {**{enc(t): r for t, r in ranks.items()}, "<|endoftext|>": 50256}, "merges": merges},
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)


def grist_ids(grist: str, vocab: str, path: str, extra: list[str] | None = None) -> list[int]:
    out = subprocess.run([grist, "tokenizer", "encode", "--vocab", vocab, path] + (extra or []), check=True,
                         capture_output=True).stdout
    return [int(x) for x in out.split()]


def compare(label: str, a: list[int], b: list[int]) -> int:
    if a == b:
        return 0
    first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    print(f"    {label}: differ from token {first}: {a[first:first + 6]} vs {b[first:first + 6]}")
    return 1


def main() -> int:
    toolenv.ensure(["tiktoken", "tokenizers"], "scripts/tokenizer/requirements.txt")
    from tokenizers import Tokenizer

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=realtext.DEFAULT_DIR)
    parser.add_argument("--sizes", default="1000,8192,32768")
    parser.add_argument("--patterns", default="cl100k,o200k")
    args = parser.parse_args()
    grist = toolenv.grist_binary()
    paths = realtext.fetch(args.dir)

    # Training text and held-out documents, round robin over the kinds.
    per_kind = {kind: realtext.documents(path) for kind, path in paths.items()}
    train, held = [], []
    index = 0
    while (sum(map(len, train)) < 10_000_000 or sum(map(len, held)) < 5_000_000) and index < 2000:
        for docs in per_kind.values():
            if index < len(docs):
                (held if index % 4 == 3 else train).append(docs[index])
        index += 1
    failures = 0
    with tempfile.TemporaryDirectory(prefix="grist-hf-check-") as tmp:
        train_files = []
        for i, doc in enumerate(train):
            train_files.append(os.path.join(tmp, f"train-{i:05d}.txt"))
            with open(train_files[-1], "wb") as f:
                f.write(doc[:300_000])
        held_files = []
        for i, doc in enumerate(held):
            held_files.append(os.path.join(tmp, f"held-{i:05d}.txt"))
            with open(held_files[-1], "wb") as f:
                f.write(doc)
        held_bytes = sum(len(d) for d in held)
        print(f"held-out text: {len(held)} documents, {held_bytes / 1e6:.1f} MB")

        runs = [(int(size), "gpt2") for size in args.sizes.split(",") if size]
        runs += [(8192, pattern) for pattern in args.patterns.split(",") if pattern]
        for size, pattern in runs:
            out = os.path.join(tmp, f"vocab-{size}-{pattern}")
            subprocess.run([grist, "tokenizer", "train", "--vocab-size", str(size), "--pattern", pattern,
                            "--output", out] + train_files, check=True, capture_output=True)
            hf = Tokenizer.from_file(os.path.join(out, "tokenizer.json"))
            bad = 0
            tokens = 0
            for path, doc in zip(held_files, held):
                expected = hf.encode(doc.decode("utf-8")).ids
                tokens += len(expected)
                bad += compare(f"{os.path.basename(path)} tokenizer.json", grist_ids(grist, os.path.join(out, "tokenizer.json"), path), expected)
                ranks = grist_ids(grist, os.path.join(out, "tokenizer.tiktoken"), path, ["--pattern", pattern])
                bad += compare(f"{os.path.basename(path)} tiktoken", ranks, expected)
            print(f"trained vocab {size:6} {pattern:6}: {tokens:9} tokens, {bad} documents differ from tokenizers")
            failures += bad

        from tiktoken.load import load_tiktoken_bpe
        gpt2_json = os.path.join(tmp, "gpt2.json")
        gpt2_tokenizer_json(load_tiktoken_bpe(gpt2ref.GPT2_RANKS), gpt2_json)
        hf = Tokenizer.from_file(gpt2_json)
        enc = gpt2ref.tiktoken_gpt2()
        bad = tokens = 0
        for path, doc in zip(held_files, held):
            text = doc.decode("utf-8")
            expected = enc.encode_ordinary(text)
            tokens += len(expected)
            bad += compare(f"{os.path.basename(path)} tokenizers gpt2", hf.encode(text).ids, expected)
            bad += compare(f"{os.path.basename(path)} grist gpt2.json", grist_ids(grist, gpt2_json, path), expected)
        print(f"gpt2 tokenizer.json        : {tokens:9} tokens, {bad} documents differ (tokenizers / grist vs tiktoken)")
        failures += bad
    print("zero mismatches" if failures == 0 else f"{failures} mismatches")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
