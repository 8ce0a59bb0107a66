#!/usr/bin/env python3
"""Write the golden fixtures of GristDedupTests with datatrove 0.10.1 itself.

    python3 scripts/golden/make_dedup_golden.py           # (re)write the fixtures
    python3 scripts/golden/make_dedup_golden.py --check   # regenerate in memory, compare

Runs itself inside <repo>/.venv-bench (scripts/toolenv/toolenv.py installs bench/dedup/requirements.txt
when datatrove is missing; override with GRIST_BENCH_VENV). Reads samples from corpora/.

Output, in Tests/GristDedupTests/Fixtures/:
  normalize.jsonl   {"text", "normalized"}: datatrove.utils.text.simplify_text (default TextNormConfig)
  xxhash.jsonl      {"hex", "seed", "hash"}: xxhash.xxh64_intdigest
  parameters.json   {"seed", "a", "b"}: MinhashDedupSignature(config=MinhashConfig(seed=…)).parameters
  signatures.jsonl  {"text", "spacy_words_equal", "signature", ["words"]}: datatrove's
                    get_signature(get_shingles(text)) with the default MinhashConfig (5-grams, 14x8,
                    seed 1, xxhash 64-bit), whether spaCy's words equal a split at spaces, and
                    spaCy's words where they do not
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "toolenv"))
import toolenv  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "Tests", "GristDedupTests", "Fixtures")
CORPORA = os.path.join(REPO, "corpora")


EDGE_CASES = [
    "",
    "   ",
    "Hello, World!",
    "The 3.14 numbers 1,000,000 and 12.5.6 and .5 and 7. end",
    "ÉCOLE naïve café façade Ångström",
    "ΣΑΣ ΟΔΟΣ Σ σΣ ΑΣ. Σ.Σ Α'Σ",
    "İstanbul DİYARBAKIR",
    "Straße ﬁne ǅemal ﬀ",
    "a \u0301 b",
    "\u0301abc \u0301",
    "x\U0001D16D\U0001D165y x\U0001D165\U0001D16Dy",
    "tabs\tand\nnewlines\r\nand\x0bvertical\x0cfeed\x85next\xa0nbsp\u3000ideographic\u2003em",
    "控制\x01字符\x7f和\x9f",
    "日本語の文章。「引用」、【括弧】（全角）！？：；１２３",
    "٣٫١٤ و ١٢٣ ، ٤٥٦ ۱۲",
    "देवनागरी १२३.४५ अंक",
    "한국어 텍스트 가나다",
    "emoji 👍🏽 and ❤️ and 🇫🇷 flags",
    "dont cant gonna im youre",
    "— “quoted” „low“ ‘single’ «guillemets» … ► ━ ∶ ´",
    "under_score snake_case-kebab $100 50% #tag @user ^caret ~tilde `tick`",
    "A\u0323\u0301 e\u0301\u0323 combining marks in both orders",
    "Ǆ ǅ ǆ Dž titlecase",
    "ß ẞ ﬃ ŉ",
    "Ⅻ ⅻ ⑫ ² ½ non-decimal numbers",
]


def read_jsonl(path: str):
    if path.endswith(".zst"):
        import zstandard

        with open(path, "rb") as f:
            data = zstandard.ZstdDecompressor().stream_reader(f).read()
        lines = data.decode("utf-8").splitlines()
    elif path.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            lines = f.read().splitlines()
    else:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


def corpus_samples() -> list[str]:
    """About forty passages of real text of several kinds and scripts, at most 3000 characters each."""
    samples: list[str] = []
    shakespeare = sorted(os.listdir(os.path.join(CORPORA, "shakespeare")))
    for name in shakespeare[::8]:
        with open(os.path.join(CORPORA, "shakespeare", name), encoding="utf-8") as f:
            text = f.read()
        middle = len(text) // 2
        samples.append(text[middle : middle + 3000])
    for name in ["part-000.jsonl.zst", "part-002.jsonl.gz"]:
        texts = read_jsonl(os.path.join(CORPORA, "python-docs", name))
        for text in texts[::25]:
            samples.append(text[:3000])
    for name in ["bible-es-rv1909.jsonl", "bible-ja-bungo.jsonl", "cldr-annotations.jsonl"]:
        texts = read_jsonl(os.path.join(CORPORA, "multilingual", name))
        for text in texts[:: max(1, len(texts) // 4)][:4]:
            samples.append(text[:3000])
    return samples


def build() -> dict[str, bytes]:
    import xxhash
    from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
    from datatrove.utils.text import simplify_text

    files: dict[str, bytes] = {}
    samples = corpus_samples()

    out = io.StringIO()
    for text in EDGE_CASES + samples:
        out.write(json.dumps({"text": text, "normalized": simplify_text(text)}, ensure_ascii=False) + "\n")
    files["normalize.jsonl"] = out.getvalue().encode("utf-8")

    out = io.StringIO()
    blobs = [b"", b"a", b"abc", b"hello world", bytes(range(7)), bytes(range(31)), bytes(range(32)),
             bytes(range(33)), bytes(range(64)), bytes(range(100)), "héllo wörld ünïcode".encode()]
    for blob in blobs:
        for seed in [0, 1, 0x9E3779B97F4A7C15]:
            out.write(json.dumps({"hex": blob.hex(), "seed": seed, "hash": xxhash.xxh64_intdigest(blob, seed=seed)}) + "\n")
    files["xxhash.jsonl"] = out.getvalue().encode("utf-8")

    params = []
    for seed, buckets, rows in [(1, 14, 8), (42, 20, 5)]:
        step = MinhashDedupSignature(output_folder="/tmp/grist-golden-unused",
                                     config=MinhashConfig(seed=seed, num_buckets=buckets, hashes_per_bucket=rows))
        a, b = step.parameters
        params.append({"seed": seed, "count": buckets * rows, "a": [int(x) for x in a[0]], "b": [int(x) for x in b[0]]})
    files["parameters.json"] = (json.dumps(params, indent=1) + "\n").encode("utf-8")

    step = MinhashDedupSignature(output_folder="/tmp/grist-golden-unused", config=MinhashConfig())
    out = io.StringIO()
    for text in samples + EDGE_CASES:
        normalized = simplify_text(text)
        words = step.word_tokenizer.word_tokenize(normalized)
        shingles = step.get_shingles(text)
        signature = [int(v) for band in step.get_signature(shingles) for v in band] if shingles.size else []
        row = {"text": text, "spacy_words_equal": words == normalized.split(), "signature": signature}
        if not row["spacy_words_equal"]:
            row["words"] = words
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    files["signatures.jsonl"] = out.getvalue().encode("utf-8")
    return files


def main() -> None:
    toolenv.ensure(["datatrove", "spacy", "xxhash", "zstandard"], "bench/dedup/requirements.txt")
    files = build()
    if "--check" in sys.argv:
        bad = [n for n, data in files.items() if open(os.path.join(OUT, n), "rb").read() != data]
        print("fixtures differ: " + ", ".join(bad) if bad else "fixtures match")
        sys.exit(1 if bad else 0)
    os.makedirs(OUT, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        print(f"wrote {os.path.join(OUT, name)} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
