#!/usr/bin/env python3
"""Write the fixture of datatrove's fastText filters: what datatrove 0.10.1's FastTextClassifierFilter
and LanguageFilter (with a fastText model) decide, and the metadata they write, for real documents.

    .venv-bench/bin/python scripts/reference/make_fasttext_filter_fixtures.py

Runs inside <repo>/.venv-bench (scripts/toolenv; datatrove and fasttext). The model is the fixture
Tests/GristFilterTests/Fixtures/fasttext/softmax-wordngrams.bin (22 languages, labels __label__xx; made by
make_fasttext_fixtures.py). The documents are paragraphs of corpora/langid/heldout.jsonl put together:
one language, two languages a line each, paragraphs split by blank lines, CRLF and other line breaks,
leading and trailing blank lines, whitespace-only and empty texts.

Writes Tests/GristFilterTests/Fixtures/fasttext/filter-decisions.json: the documents, and for each
filter setting each document's decision, text afterwards and metadata.
"""

from __future__ import annotations

import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "toolenv"))
from toolenv import REPO, ensure  # noqa: E402

ensure(["fasttext", "datatrove"], "scripts/reference/requirements-fasttext.txt")

import numpy as np  # noqa: E402
from datatrove.data import Document  # noqa: E402
from datatrove.pipeline.filters.fasttext_filter import FastTextClassifierFilter  # noqa: E402
from datatrove.pipeline.filters.language_filter import LanguageFilter  # noqa: E402
from fasttext.FastText import _FastText  # noqa: E402

# datatrove asks for the fasttext-numpy2-wheel distribution; the fasttext 0.9.3 one installed here is
# the same code (the fixtures' models were trained with it)
FastTextClassifierFilter._requires_dependencies = ["fasttext", "fasteners"]
LanguageFilter._requires_dependencies = ["fasttext", "fasteners"]

FIX = os.path.join(REPO, "Tests", "GristFilterTests", "Fixtures", "fasttext")
MODEL = os.path.join(FIX, "softmax-wordngrams.bin")


def documents() -> list[str]:
    rows = [json.loads(line) for line in open(os.path.join(REPO, "corpora", "langid", "heldout.jsonl"), encoding="utf-8")]
    by_lang: dict[str, list[str]] = {}
    for row in rows:
        by_lang.setdefault(row["lang"], []).append(row["text"])
    rng = random.Random(16)
    langs = sorted(by_lang)
    docs: list[str] = []
    for _ in range(60):
        a, b = rng.sample(langs, 2)
        pa, pb = rng.choice(by_lang[a]), rng.choice(by_lang[b])
        pick = rng.randrange(8)
        if pick == 0:
            docs.append(pa)
        elif pick == 1:
            docs.append(pa + "\n" + pb)
        elif pick == 2:
            docs.append(pa + "\n\n" + pb + "\n" + rng.choice(by_lang[a]) + "\n")
        elif pick == 3:
            docs.append("\n\n" + pa + "\r\n \r\n" + pb)
        elif pick == 4:
            docs.append(pa + "\u2028" + pb + "\x0c" + rng.choice(by_lang["en"]))
        elif pick == 5:
            docs.append(rng.choice(by_lang["en"]) + "\n\n\n" + pb + "\n  \n")
        elif pick == 6:
            docs.append("  " + pa + "\t\n" + pb + "\u0085" + pa)
        else:
            docs.append(rng.choice(by_lang["en"]) + "\n" + rng.choice(by_lang["en"]))
    docs += ["", " ", "\n", "\n\n \n", "x", "__label__en the house"]
    return docs


SETTINGS = [
    {"name": "keep-en-document", "keep_labels": [("en", 0.5)], "filter_mode": "DOCUMENT"},
    {"name": "keep-en-paragraph", "keep_labels": [("en", 0.5)], "filter_mode": "PARAGRAPH"},
    {"name": "remove-es-document", "remove_labels": [("es", 0.2)], "filter_mode": "DOCUMENT"},
    {"name": "remove-es-paragraph-space", "remove_labels": [("es", 0.2)], "filter_mode": "PARAGRAPH",
     "newline_replacement": " "},
    {"name": "keep-de-document-space", "keep_labels": [("de", 0.3)], "filter_mode": "DOCUMENT",
     "newline_replacement": " "},
]


class Model:
    """fasttext 0.9.3's `_FastText.predict` for one text, with numpy 2 (its `np.array(copy=False)` fails there;
    fasttext-numpy2-wheel, which datatrove asks for, changes just that)."""

    def __init__(self, path: str):
        self.inner = _FastText(path)
        self.labels = self.inner.labels

    def predict(self, text: str, k: int = 1, threshold: float = 0.0):
        if "\n" in text:
            raise ValueError("predict processes one line at a time (remove '\\n')")
        pairs = self.inner.f.predict(text + "\n", k, threshold, "strict")
        probs, labels = zip(*pairs) if pairs else ((), ())
        return labels, np.asarray(probs)


def main() -> None:
    docs = documents()
    out = {"documents": docs, "classifier": [], "language": []}
    model = Model(MODEL)
    for setting in SETTINGS:
        options = {k: v for k, v in setting.items() if k != "name"}
        f = FastTextClassifierFilter(MODEL, **options)
        f._model = model
        results = []
        for i, text in enumerate(docs):
            doc = Document(text=text, id=str(i))
            keep = bool(f.filter(doc))
            results.append({"keep": keep, "text": doc.text, "metadata": doc.metadata})
        out["classifier"].append({"setting": setting, "results": results})
    for languages, threshold in [(["en"], 0.65), (["es", "pt"], 0.4), (None, 0.5)]:
        f = LanguageFilter(languages=languages, language_threshold=threshold)
        f.model._model = model
        results = []
        for i, text in enumerate(docs):
            doc = Document(text=text, id=str(i))
            keep = bool(f.filter(doc))
            results.append({"keep": keep, "metadata": doc.metadata})
        out["language"].append({"languages": languages, "threshold": threshold, "results": results})
    path = os.path.join(FIX, "filter-decisions.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=0)
    print("wrote", path)


if __name__ == "__main__":
    main()
