#!/usr/bin/env python3
"""Write GristFilter's reference fixtures: spaCy's tokens and datatrove's filter decisions.

    python3 scripts/reference/make_filter_fixtures.py           # (re)write the fixtures
    python3 scripts/reference/make_filter_fixtures.py --check   # regenerate and compare

Runs inside <repo>/.venv-bench (scripts/toolenv; scripts/reference/requirements.txt: datatrove, spaCy).
Writes, in Tests/GristFilterTests/Fixtures/:
  spacy-tokens.jsonl         texts with spaCy's token spans and sentence counts: real paragraphs of
                             corpora/ and generated strings that mix words, punctuation, URLs,
                             emoticons and tokenizer exceptions (the corners of the affix rules)
  datatrove-pii.tsv          every document of corpus.filter_documents() that datatrove's PIIFormatter
                             (a fresh one per document, defaults) changes, with the SHA-256 of its result
  datatrove-decisions.tsv    for every 12th document of corpus.filter_documents() (cut from the
                             shipped corpora; the Swift test cuts the same documents), the decision of
                             each of datatrove's four quality filters with default settings
"""

from __future__ import annotations

import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "toolenv"))
from toolenv import REPO, ensure  # noqa: E402

ensure(["datatrove", "spacy", "regex", "zstandard"], "scripts/reference/requirements.txt")

import spacy  # noqa: E402
from corpus import filter_documents, paragraphs, shipped_documents  # noqa: E402
from datatrove_filters import FILTERS, decide  # noqa: E402

OUT = os.path.join(REPO, "Tests", "GristFilterTests", "Fixtures")
SLICE = 12

FUZZ_PIECES = list("aAbZzsSmMtTdD09718.,;:!?'\"()[]{}<>-–—~_/@#$%&*+=^|\\`´’‘“”„«»…·°FCK²³µ") + [
    "\u00e9", "\u00df", "\u0416", "\u4e2d", "\u3042", "\U0001F600", "\u00a0", "\u2014", "\uff0c", "\u3002", "US",
    "km", "m²", "a.m.", "p.m", "n't", "'s", "'ll", "Mr", "Dr", "http", "://", "www", ".com", ".org", "co.uk", "@",
    "192.168", "10.0", "8.8.8.8", "e.g.", "i.e.", ":)", ";)", ":-(", "<3", "C++", "'em", "o.O", "(:", "^_^", "don",
    "can", "won", "gon", "na", "'t", "ain", "y'all", "ma'am", "o'clock", "Jan.", "Calif.", "Ph.D.",
]
FUZZ_SPACES = [" ", " ", " ", "  ", "\n", "\t", " \n ", "\u00a0"]


def fuzz_texts(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for k in range(count):
        parts = []
        for _ in range(rng.randint(1, 6)):
            parts.append("".join(rng.choice(FUZZ_PIECES) for _ in range(rng.randint(1, 7))))
            parts.append(rng.choice(FUZZ_SPACES))
        text = "".join(parts[:-1]) if rng.random() < 0.7 else "".join(parts)
        out.append({"id": f"generated-{k}", "text": text})
    return out


def token_fixture() -> str:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    texts = paragraphs(shipped_documents(), 4000)[::120] + fuzz_texts(2000, 20240520)
    lines = []
    for d in texts:
        nlp.max_length = len(d["text"]) + 10
        doc = nlp(d["text"])
        spans = []
        for tok in doc:
            spans += [tok.idx, tok.idx + len(tok.text)]
        lines.append(json.dumps({"id": d["id"], "text": d["text"], "spans": spans, "sentences": len(list(doc.sents))},
                                ensure_ascii=False))
    return "\n".join(lines) + "\n"


def decision_fixture() -> str:
    docs = filter_documents()[::SLICE]
    kinds = list(FILTERS)
    columns = {kind: decide(kind, docs)[0] for kind in kinds}
    lines = ["# datatrove 0.10.1 decisions (default settings) on every %dth of scripts/reference/corpus.py's "
             "filter_documents(); made by scripts/reference/make_filter_fixtures.py" % SLICE,
             "\t".join(["index", "id"] + kinds)]
    for i, d in enumerate(docs):
        lines.append("\t".join([str(i * SLICE), d["id"]] + [columns[k][i] for k in kinds]))
    return "\n".join(lines) + "\n"


def pii_fixture() -> str:
    import hashlib

    from datatrove.pipeline.formatters import PIIFormatter

    lines = ["# documents of filter_documents() that datatrove 0.10.1's PIIFormatter (defaults, a fresh one per "
             "document) changes; made by scripts/reference/make_filter_fixtures.py",
             "\t".join(["index", "id", "sha256_16"])]
    for i, d in enumerate(filter_documents()):
        out = PIIFormatter().format(d["text"])
        if out != d["text"]:
            lines.append("\t".join([str(i), d["id"], hashlib.sha256(out.encode("utf-8")).hexdigest()[:16]]))
    return "\n".join(lines) + "\n"


def main() -> None:
    outputs = {"spacy-tokens.jsonl": token_fixture(), "datatrove-decisions.tsv": decision_fixture(),
               "datatrove-pii.tsv": pii_fixture()}
    for name, text in outputs.items():
        path = os.path.join(OUT, name)
        if "--check" in sys.argv:
            with open(path, encoding="utf-8") as f:
                if f.read() != text:
                    raise SystemExit(f"{path} differs; rerun without --check")
            print(f"{name}: same")
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"wrote {path} ({len(text):,} bytes)")


main()
