#!/usr/bin/env python3
"""Plant near-duplicates in real text at known edit rates, and record the ground truth.

    python3 bench/dedup/plant.py --out DIR [--size full|small] [--seed N]

Real text: the corpora in corpora/ (Shakespeare, Python docs, Bibles and CLDR names), and for
`--size full` also three Debian documentation packages (linux-doc-6.1 reStructuredText, perl-doc
POD, postgresql-doc-15 HTML with the tags stripped), fetched with `apt-get download` into
$GRIST_DOWNLOAD_DIR (default out/bench-dedup/downloads/). Long texts are cut at paragraph boundaries
into documents of at most --max-doc-chars characters. The Debian versions are pinned (DEBIAN below):
when Debian replaces one (security updates do), `apt-get download` fails; bump the pin.

A share of the documents (--planted) get one to three variants each. A variant applies one kind of
edit at a rate drawn uniformly from [0, --max-rate]:
  substitute  replace that share of words with words drawn from the corpus
  insert      insert that many corpus words at random places
  delete      delete that share of words
  reorder     move that share of the lines (or sentences) to other places
  boilerplate add navigation/footer lines of that share of the length before and after
  mixed       substitute, insert and delete, each at a third of the rate
  exact       the same text (rate 0)
Originals and variants are shuffled together (seeded), so a variant may come before its original.

Output in DIR:
  corpus.jsonl  {"id", "text"}: every document (corpus.jsonl.zst with --zstd)
  truth.jsonl   {"id", "original", "edit", "rate", "jaccard"}: one line per variant; "jaccard" is the
                true Jaccard similarity of the 5-word shingle sets of the two texts, after datatrove's
                simplify_text and a split at spaces (the shingles grist and datatrove hash)

Deterministic: same inputs and seed, same bytes. Runs inside .venv-bench (datatrove, zstandard).
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "toolenv"))
import toolenv  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CORPORA = os.path.join(REPO, "corpora")

DEBIAN = [  # package, version (bookworm), what is read
    ("linux-doc-6.1", "6.1.192-3", "rst"),
    ("perl-doc", "5.36.0-7+deb12u4", "pod"),
    ("postgresql-doc-15", "15.20-0+deb12u1", "html"),
]

EDITS = ["substitute", "insert", "delete", "reorder", "boilerplate", "mixed", "exact"]

BOILERPLATE = [
    "Home | About | Blog | Contact | Privacy policy | Terms of use",
    "Skip to main content",
    "This website uses cookies to improve your experience. Accept all cookies or manage your settings.",
    "Subscribe to our newsletter to get the latest updates delivered to your inbox every week.",
    "Copyright 2024 Example Media Group. All rights reserved.",
    "Share this article on social media: Facebook Twitter LinkedIn Email",
    "Related posts you might also like to read next on this site",
    "Posted by the editorial team in Documentation and Tutorials",
    "Leave a comment below and tell us what you think about this page",
    "Sign in or create an account to save your reading list and preferences",
]


# ---------------------------------------------------------------------------- real text

def read_jsonl(path: str) -> list[tuple[str, str]]:
    if path.endswith(".zst"):
        import zstandard

        with open(path, "rb") as f:
            data = zstandard.ZstdDecompressor().stream_reader(f).read().decode("utf-8")
    elif path.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = f.read()
    else:
        with open(path, encoding="utf-8") as f:
            data = f.read()
    rows = [json.loads(line) for line in data.splitlines() if line.strip()]
    return [(str(r.get("id", "")), r["text"]) for r in rows]


def corpora_texts() -> list[tuple[str, str]]:
    texts = []
    folder = os.path.join(CORPORA, "shakespeare")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            texts.append(("shakespeare/" + name, f.read()))
    for sub in ["python-docs", "multilingual"]:
        folder = os.path.join(CORPORA, sub)
        for name in sorted(os.listdir(folder)):
            for doc_id, text in read_jsonl(os.path.join(folder, name)):
                texts.append((f"{sub}/{doc_id}", text))
    return texts


def debian_texts(download_dir: str) -> list[tuple[str, str]]:
    os.makedirs(download_dir, exist_ok=True)
    texts = []
    for package, version, kind in DEBIAN:
        deb = os.path.join(download_dir, f"{package}_{version}_all.deb".replace(":", "%3a"))
        if not os.path.exists(deb):
            subprocess.run(["apt-get", "download", f"{package}={version}"], cwd=download_dir, check=True)
        root = os.path.join(download_dir, package)
        if not os.path.isdir(root):
            subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
        files = []
        for folder, _, names in os.walk(root):
            for name in names:
                files.append(os.path.join(folder, name))
        for path in sorted(files):
            rel = os.path.relpath(path, root)
            if kind == "rst" and path.endswith(".rst.gz") and "/Documentation/" in path:
                with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
                    texts.append((f"{package}/{rel}", f.read()))
            elif kind == "pod" and path.endswith(".pod"):
                with open(path, encoding="utf-8", errors="replace") as f:
                    texts.append((f"{package}/{rel}", f.read()))
            elif kind == "html" and path.endswith(".html"):
                with open(path, encoding="utf-8", errors="replace") as f:
                    raw = f.read()
                raw = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", raw)
                text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
                text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
                texts.append((f"{package}/{rel}", text))
    return texts


def cut(texts: list[tuple[str, str]], max_chars: int, min_chars: int) -> list[tuple[str, str]]:
    """Documents of at most max_chars, cut at blank lines (else at line ends); short ones dropped."""
    docs = []
    for name, text in texts:
        text = text.replace("\r\n", "\n")
        parts = re.split(r"\n\s*\n", text)
        current, number = [], 0
        size = 0
        for part in parts:
            if size + len(part) > max_chars and current:
                docs.append((f"{name}#{number}", "\n\n".join(current)))
                number += 1
                current, size = [], 0
            while len(part) > max_chars:
                head, _, _ = part[:max_chars].rpartition("\n")
                head = head or part[:max_chars]
                docs.append((f"{name}#{number}", head))
                number += 1
                part = part[len(head):].lstrip("\n")
            current.append(part)
            size += len(part) + 2
        if current:
            docs.append((f"{name}#{number}", "\n\n".join(current)))
    return [(n, t) for n, t in docs if len(t.strip()) >= min_chars]


# ---------------------------------------------------------------------------- edits

def edit(text: str, kind: str, rate: float, rng: random.Random, vocabulary: list[str]) -> str:
    if kind == "exact":
        return text
    if kind == "boilerplate":
        extra = int(len(text) * rate)
        head, tail = [], []
        while sum(len(x) + 1 for x in head + tail) < extra:
            (head if rng.random() < 0.5 else tail).append(rng.choice(BOILERPLATE))
        return "\n".join(head + [text] + tail)
    if kind == "reorder":
        units = text.split("\n") if text.count("\n") >= 10 else re.split(r"(?<=[.!?])\s+", text)
        moves = int(len(units) * rate)
        for _ in range(moves):
            if len(units) < 2:
                break
            unit = units.pop(rng.randrange(len(units)))
            units.insert(rng.randrange(len(units) + 1), unit)
        return ("\n" if text.count("\n") >= 10 else " ").join(units)
    words = text.split(" ")
    if kind == "mixed":
        for sub in ["substitute", "insert", "delete"]:
            words = edit(" ".join(words), sub, rate / 3, rng, vocabulary).split(" ")
        return " ".join(words)
    count = int(round(len(words) * rate))
    if kind == "substitute":
        for i in rng.sample(range(len(words)), min(count, len(words))):
            words[i] = rng.choice(vocabulary)
    elif kind == "insert":
        for _ in range(count):
            words.insert(rng.randrange(len(words) + 1), rng.choice(vocabulary))
    elif kind == "delete":
        for i in sorted(rng.sample(range(len(words)), min(count, len(words) - 1)), reverse=True):
            del words[i]
    return " ".join(words)


def shingles(text: str, simplify) -> set[str]:
    words = simplify(text).split()
    return {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


# ---------------------------------------------------------------------------- main

def main() -> None:
    toolenv.ensure(["datatrove", "zstandard"], "bench/dedup/requirements.txt")
    from datatrove.utils.text import simplify_text

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--size", choices=["full", "small"], default="full")
    parser.add_argument("--seed", type=int, default=20240520)
    parser.add_argument("--planted", type=float, default=0.15, help="share of documents that get variants")
    parser.add_argument("--max-rate", type=float, default=0.25)
    parser.add_argument("--max-doc-chars", type=int, default=16000)
    parser.add_argument("--originals", type=int, default=0, help="keep only this many originals (0: all)")
    parser.add_argument("--zstd", action="store_true", help="write corpus.jsonl.zst (level 19) instead")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    texts = corpora_texts()
    if args.size == "full":
        texts += debian_texts(os.environ.get("GRIST_DOWNLOAD_DIR", os.path.join(REPO, "out", "bench-dedup", "downloads")))
        docs = cut(texts, args.max_doc_chars, 200)
    else:
        docs = cut(texts, 1500, 300)
    if args.originals:
        docs = rng.sample(docs, min(args.originals, len(docs)))
        docs.sort()
    vocabulary = []
    for _, text in rng.sample(docs, min(len(docs), 300)):
        vocabulary += [w for w in text.split() if w.isalpha()][:200]
    vocabulary = sorted(set(vocabulary))

    out_docs = [(name, text, None) for name, text in docs]
    truth = []
    for name, text in docs:
        if rng.random() >= args.planted:
            continue
        for variant in range(rng.choice([1, 1, 1, 2, 3])):
            kind = rng.choice(EDITS)
            rate = 0.0 if kind == "exact" else round(rng.uniform(0, args.max_rate), 4)
            out_docs.append((f"{name}~{variant}", edit(text, kind, rate, rng, vocabulary), (name, kind, rate)))
    rng.shuffle(out_docs)
    ids = {name: f"d{i:07d}" for i, (name, _, _) in enumerate(out_docs)}
    texts_by_name = {name: text for name, text, _ in out_docs}

    os.makedirs(args.out, exist_ok=True)
    lines = "".join(json.dumps({"id": ids[name], "text": text}, ensure_ascii=False) + "\n"
                    for name, text, _ in out_docs).encode("utf-8")
    if args.zstd:
        import zstandard

        with open(os.path.join(args.out, "corpus.jsonl.zst"), "wb") as f:
            f.write(zstandard.ZstdCompressor(level=19, threads=0).compress(lines))
    else:
        with open(os.path.join(args.out, "corpus.jsonl"), "wb") as f:
            f.write(lines)
    with open(os.path.join(args.out, "truth.jsonl"), "w", encoding="utf-8") as f:
        for name, text, origin in out_docs:
            if origin is None:
                continue
            original, kind, rate = origin
            similarity = jaccard(shingles(texts_by_name[original], simplify_text), shingles(text, simplify_text))
            truth.append(similarity)
            f.write(json.dumps({"id": ids[name], "original": ids[original], "edit": kind, "rate": rate,
                                "jaccard": round(similarity, 6)}) + "\n")
    size = sum(len(t.encode()) for _, t, _ in out_docs)
    high = sum(1 for j in truth if j >= 0.8)
    print(f"{args.out}: {len(out_docs)} documents ({size / 1e6:.1f} MB), {len(truth)} planted variants, "
          f"{high} with Jaccard >= 0.8", file=sys.stderr)


if __name__ == "__main__":
    main()
