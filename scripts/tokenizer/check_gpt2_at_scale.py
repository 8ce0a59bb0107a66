#!/usr/bin/env python3
"""Exactness at scale: `grist tokenizer encode` against tiktoken's gpt2 on real text of many kinds.

    python3 scripts/tokenizer/check_gpt2_at_scale.py [--dir DIR] [--pattern gpt2|cl100k|o200k] [KIND ...]

Fetches the text with realtext.py (Debian packages: docs, dictionaries, code, man pages in Japanese,
Chinese, Russian and Ukrainian, fortunes, emoji; about 85 MB), encodes each kind's file as one text
with tiktoken 0.14 `encode_ordinary` and with `grist tokenizer encode --binary`, compares token for
token, and decodes grist's tokens back with `grist tokenizer decode`. Prints a table and exits 1 on
any mismatch. Runs itself in .venv-bench (scripts/toolenv).

With --pattern cl100k or o200k, both sides use the GPT-2 ranks with that pre-tokenizer pattern
(tiktoken's cl100k_base / o200k_base `pat_str`; their own ranks files cannot be fetched here), which
checks Gristmill's hand-written matchers for those patterns against tiktoken's regex engine.
"""

from __future__ import annotations

import argparse
import array
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "toolenv"))
import gpt2ref  # noqa: E402
import realtext  # noqa: E402
import toolenv  # noqa: E402


def main() -> int:
    toolenv.ensure(["tiktoken"], "scripts/tokenizer/requirements.txt")
    import tiktoken

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=realtext.DEFAULT_DIR)
    parser.add_argument("--pattern", choices=["gpt2", "cl100k", "o200k"], default="gpt2")
    parser.add_argument("kinds", nargs="*")
    args = parser.parse_args()
    grist = toolenv.grist_binary()
    enc = gpt2ref.tiktoken_gpt2()
    pattern_args = []
    if args.pattern != "gpt2":
        from tiktoken_ext import openai_public
        # the pattern strings of tiktoken's own constructors, without fetching their ranks
        source = open(openai_public.__file__, encoding="utf-8").read()
        import re
        if args.pattern == "cl100k":
            pat = re.search(r'"pat_str": (r""".*?"""),', source, re.S).group(1)
            pat_str = eval(pat)  # a raw string literal from tiktoken's source
        else:
            block = re.search(r'pat_str = "\|"\.join\(\s*\[(.*?)\]\s*\)', source, re.S).group(1)
            pat_str = "|".join(eval("[" + block + "]"))
        enc = tiktoken.Encoding(name=f"gpt2-ranks-{args.pattern}-pattern", pat_str=pat_str,
                                mergeable_ranks=enc._mergeable_ranks, special_tokens={"<|endoftext|>": 50256})
        pattern_args = ["--vocab", gpt2ref.GPT2_RANKS, "--pattern", args.pattern]
    paths = realtext.fetch(args.dir, args.kinds or None)

    print(f"tiktoken {tiktoken.__version__} {enc.name} vs {grist} {' '.join(pattern_args)}")
    print(f"{'kind':14} {'MB':>7} {'docs':>6} {'tokens':>11} {'mismatch':>9} {'round trip':>10}")
    total_bytes = total_tokens = failures = 0
    for kind, path in paths.items():
        raw = open(path, "rb").read()
        text = raw.decode("utf-8")
        expected = enc.encode_ordinary(text)
        out = subprocess.run([grist, "tokenizer", "encode", "--binary", path] + pattern_args, check=True, capture_output=True).stdout
        actual = array.array("H")
        actual.frombytes(out)
        if sys.byteorder != "little":
            actual.byteswap()
        mismatch = 0
        if list(actual) != expected:
            first = next((i for i, (a, b) in enumerate(zip(actual, expected)) if a != b), min(len(actual), len(expected)))
            mismatch = sum(1 for a, b in zip(actual, expected) if a != b) + abs(len(actual) - len(expected))
            context = enc.decode(expected[max(0, first - 5): first + 5])
            print(f"  {kind}: first mismatch at token {first}: ours {list(actual[first:first + 5])} "
                  f"tiktoken {expected[first:first + 5]} around {context!r}")
        decoded = subprocess.run([grist, "tokenizer", "decode", "--binary", "-"], input=out, check=True,
                                 capture_output=True).stdout
        round_trip = decoded == raw
        failures += (mismatch > 0) + (not round_trip)
        total_bytes += len(raw)
        total_tokens += len(expected)
        print(f"{kind:14} {len(raw) / 1e6:7.2f} {len(realtext.documents(path)):6} {len(expected):11} "
              f"{mismatch:9} {'ok' if round_trip else 'DIFFERS':>10}")
    print(f"{'total':14} {total_bytes / 1e6:7.2f} {'':6} {total_tokens:11}")
    print("zero mismatches" if failures == 0 else f"{failures} kinds differ")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
