"""Real text for the filter fixtures and benchmarks: the shipped corpora, cut into documents.

Every function returns a list of {"id", "text"} dicts in a fixed order (no randomness, no clock),
so the fixtures made from them are reproducible.
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPORA = os.path.join(REPO, "corpora")


def _read_jsonl(path: str) -> list[dict]:
    if path.endswith(".zst"):
        import zstandard

        with open(path, "rb") as f:
            data = zstandard.ZstdDecompressor().stream_reader(f).read()
        text = data.decode("utf-8")
    elif path.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            text = f.read()
    else:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    return [json.loads(line) for line in io.StringIO(text) if line.strip()]


def shipped_documents() -> list[dict]:
    """The documents of corpora/ as `grist build` reads them with pipelines/sample.yaml."""
    docs = []
    for path in sorted(glob.glob(os.path.join(CORPORA, "shakespeare", "*.txt"))):
        with open(path, encoding="utf-8") as f:
            docs.append({"id": "shakespeare/" + os.path.basename(path), "text": f.read()})
    for path in sorted(glob.glob(os.path.join(CORPORA, "python-docs", "*.jsonl.*"))):
        for record in _read_jsonl(path):
            docs.append({"id": "python-docs/" + record["id"], "text": record["text"]})
    for path in sorted(glob.glob(os.path.join(CORPORA, "multilingual", "*.jsonl"))):
        for record in _read_jsonl(path):
            docs.append({"id": "multilingual/" + record["id"], "text": record["text"]})
    return docs


# Target sizes (characters) of the documents cut from the shipped corpora, used in turn.
SIZES = [60, 120, 240, 480, 960, 1920]


def filter_documents() -> list[dict]:
    """The documents of the filter agreement fixtures and benchmark: the shipped corpora cut at
    blank lines (`text.split("\\n\\n")`) into pieces that reach the next of `SIZES` in turn.

    Tests/GristFilterTests/FilterFixtureDocuments.swift cuts them the same way, so the committed
    fixture holds only decisions, not text.
    """
    out = []
    k = 0
    for doc in shipped_documents():
        piece: list[str] = []
        size = 0
        index = 0
        for part in doc["text"].split("\n\n"):
            piece.append(part)
            size += len(part) + 2
            if size >= SIZES[k % len(SIZES)]:
                out.append({"id": f"{doc['id']}#{index}", "text": "\n\n".join(piece)})
                index += 1
                k += 1
                piece, size = [], 0
        if piece:
            out.append({"id": f"{doc['id']}#{index}", "text": "\n\n".join(piece)})
            k += 1
    return out


def paragraphs(docs: list[dict], max_chars: int = 4000) -> list[dict]:
    """Documents cut at blank lines into pieces of at most about `max_chars` characters.

    Web-scale filters see many short documents; cutting the long shipped ones gives thousands of
    real documents of varied sizes and kinds (prose, verse, code, lists, headings).
    """
    out = []
    for doc in docs:
        parts = doc["text"].split("\n\n")
        piece: list[str] = []
        size = 0
        index = 0
        for part in parts:
            piece.append(part)
            size += len(part) + 2
            if size >= max_chars:
                out.append({"id": f"{doc['id']}#{index}", "text": "\n\n".join(piece)})
                index += 1
                piece, size = [], 0
        if piece:
            out.append({"id": f"{doc['id']}#{index}", "text": "\n\n".join(piece)})
    return out
