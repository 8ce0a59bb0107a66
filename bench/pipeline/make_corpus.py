#!/usr/bin/env python3
"""A deterministic corpus of real text for bench/pipeline: at least 1 GB of JSON Lines.

    python3 bench/pipeline/make_corpus.py [--out DIR] [--seed N] [--size-mb 1100] [--subset-mb 150]

Text: the shipped corpora/ plus real text from Debian 12 packages at pinned versions (KINDS below):
documentation of many projects (HTML pages as a main-text extractor would leave them: navigation,
headers, footers and sidebars removed), LibreOffice help in 31 languages, GNOME help and the Debian
Administrator's Handbook in over 20 each, man pages in 14, dictionaries (GCIDE, WordNet, FOLDOC, Jargon),
fortunes, and source code (Linux C, Go standard library). Packages are fetched with
`apt-get download` into bench/out/pipeline/debs/ (git-ignored; nothing fetched is committed, and
the licences are the packages' own, see their copyright files: bench-only data). Each kind's text is
extracted once into bench/out/pipeline/text/KIND.docs; big files are cut into documents of
log-normal size at line ends.

The corpus (default DIR bench/out/pipeline/corpus):
  part-00.jsonl ... part-12.jsonl[.zst]   13 files of different sizes, one of ~45% of the corpus
                                          (several hundred MB), five compressed with zstd
  subset.jsonl                            the first documents of the corpus, ~--subset-mb MB (the
                                          datatrove comparison runs on it)
  corpus.json                             counts, sizes and SHA-256 of every file
Records: {"id": ..., "text": ..., "kind": ...}.

Order and duplication: the documents are shuffled (SplitMix64, --seed) and taken in blocks of about
--subset-mb MB (block 0 is the subset). Each block gets copies of 12% of its documents (80% of them
from the block itself, 20% from earlier blocks), placed at random in the block: 40% exact copies,
15% copies that differ only in case, spacing and punctuation (exact duplicates after dedup
normalization), 45% near duplicates (1-12% of words substituted, deleted or repeated, sometimes a
boilerplate line added); one copy in ten is repeated 2-10 times. The same seed and packages give
the same bytes (the plain JSON Lines; .zst files also need the same zstd).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html.parser
import io
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.join(REPO, "bench", "out", "pipeline")
MB = 1_000_000
TEXT_FORMAT = 2  # bump when extraction changes: cached KIND.docs files are rebuilt


# ---------------------------------------------------------------------------------------------
# Randomness: SplitMix64, so the bytes do not depend on Python's random module.

class SplitMix64:
    def __init__(self, seed: int) -> None:
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def uniform(self) -> float:
        return (self.next() >> 11) / float(1 << 53)

    def below(self, n: int) -> int:
        return self.next() % n if n > 0 else 0

    def gauss(self) -> float:
        u1 = max(self.uniform(), 1e-300)
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * self.uniform())

    def shuffle(self, items: list) -> None:
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def path_fraction(path: str) -> float:
    """A stable number in [0, 1) for a path: selects a fixed share of a package's files."""
    return int.from_bytes(hashlib.sha1(path.encode()).digest()[:8], "little") / float(1 << 64)


# ---------------------------------------------------------------------------------------------
# Sources of text.

# kind: packages (name=version), member path pattern, reader, cap in MB of text, share of files taken
KINDS: dict[str, dict] = {
    "code-c": dict(packages=["linux-source-6.1=6.1.192-3"], pattern=r"\.[ch]$", reader="kernel", cap=150, share=0.25),
    "code-go": dict(packages=["golang-1.19-src=1.19.8-2"], pattern=r"/src/.*\.go$", reader="plain", cap=50),
    "docs-kernel": dict(packages=["linux-doc-6.1=6.1.192-3"], pattern=r"/html/(?!_).*\.html$", reader="html", cap=50),
    "docs-python": dict(packages=["python3.11-doc=3.11.2-6+deb12u9"], pattern=r"/html/.*\.html$", reader="html", cap=40),
    "docs-perl": dict(packages=["perl-doc=5.36.0-7+deb12u4"], pattern=r"\.pod$", reader="plain", cap=30),
    "docs-postgres": dict(packages=["postgresql-doc-15=15.20-0+deb12u1"], pattern=r"/html/.*\.html$", reader="html", cap=20),
    "docs-django": dict(packages=["python-django-doc=3:3.2.25-0+deb12u7"], pattern=r"/html/.*\.html$", reader="html", cap=20),
    "docs-java": dict(packages=["openjdk-17-doc=17.0.21.1+2-1~deb12u1"], pattern=r"/api/.*\.html$", reader="html", cap=80),
    "docs-rust": dict(packages=["rust-doc=1.63.0+dfsg1-2"], pattern=r"/html/.*\.html$", reader="html", cap=80),
    "docs-sage": dict(packages=["sagemath-doc=9.5-6"], pattern=r"/html/.*\.html$", reader="html", cap=60),
    "docs-erlang": dict(packages=["erlang-doc=1:25.2.3+dfsg-1+deb12u4"], pattern=r"\.html$", reader="html", cap=40),
    "docs-pandas": dict(packages=["python-pandas-doc=1.5.3+dfsg-2"], pattern=r"\.html$", reader="html", cap=40),
    "docs-misc": dict(packages=["apache2-doc=2.4.71-1~deb12u1", "nodejs-doc=18.20.4+dfsg-1~deb12u3",
                                "git-doc=1:2.39.5-0+deb12u3", "vim-doc=2:9.0.1378-2+deb12u2", "octave-doc=7.3.0-2",
                                "sphinx-doc=5.3.0-4", "gnucash-docs=4.13-1"],
                      pattern=r"\.html$", reader="html", cap=60),
    "docs-racket": dict(packages=["racket-doc=8.7+dfsg1-1"], pattern=r"\.html$", reader="html", cap=60),
    "docs-ghc": dict(packages=["ghc-doc=9.0.2-4"], pattern=r"/html/(users_guide/.*|libraries/[^/]+/[^/]+)\.html$",
                     reader="html", cap=40),
    "docs-scipy": dict(packages=["python-sklearn-doc=1.2.1+dfsg-1", "python-astropy-doc=5.2.1-2+deb12u1",
                                 "python-sympy-doc=1.11.1-1", "python-scipy-doc=1.10.1-2"],
                       pattern=r"\.html$", reader="html", cap=90),
    "docs-manuals": dict(packages=["lilypond-doc-html=2.24.1-2", "gimp-help-en=2.10.34-2", "gnome-devel-docs=40.3-1",
                                   "maxima-doc=5.46.0-11", "debian-reference-en=2.100", "kicad-doc-en=6.0.11+dfsg-1",
                                   "bash-doc=5.2.15-2", "zsh-doc=5.9-4", "autoconf-doc=2.71-3"],
                         pattern=r"\.(html|page)$", reader="html", cap=100),
    "handbook": dict(packages=["debian-handbook=11.20220922"], pattern=r"/html/.*\.html$", reader="html", cap=60),
    "help-gnome": dict(packages=["gnome-user-docs=43.0-2"], pattern=r"\.page$", reader="html", cap=40),
    "help-libreoffice": dict(packages=[f"libreoffice-help-{lang}=4:7.4.7-1+deb12u14" for lang in
                                       ("en-us", "de", "fr", "es", "it", "pt-br", "ru", "ja", "zh-cn", "pl",
                                                     "ca", "cs", "da", "el", "fi", "hu", "ko", "nl", "sv", "tr",
                                                     "en-gb", "pt", "sk", "sl", "et", "eu", "gl", "id", "vi",
                                                     "zh-tw", "hi")],
                             pattern=r"/help/.*\.html$", reader="html", cap=150),
    "man": dict(packages=["manpages=6.03-2", "manpages-dev=6.03-2", "manpages-de=4.18.1-1", "manpages-fr=4.18.1-1",
                          "manpages-es=4.18.1-1", "manpages-it=4.18.1-1", "manpages-pl=1:4.18.1-1",
                          "manpages-pt-br=4.18.1-1", "manpages-ru=4.18.1-1", "manpages-uk=4.18.1-1",
                          "manpages-nl=4.18.1-1", "manpages-ja=0.5.0.0.20221215+dfsg-1", "manpages-zh=1.6.4.0-1",
                          "manpages-ro=4.18.1-1"],
                pattern=r"/man/.*\.gz$", reader="gzip", cap=80),
    "dict": dict(packages=["dict-gcide=0.48.5+nmu2", "dict-foldoc=20230119-1", "dict-jargon=4.4.7-3.1",
                           "wordnet-base=1:3.0-37"],
                 pattern=r"(\.dict\.dz|/data\.(noun|verb|adj|adv))$", reader="gzip-or-plain", cap=45),
    "fortunes": dict(packages=["fortunes=1:1.99.1-7.3"], pattern=r"/fortunes/[^/.]+$", reader="plain", cap=10),
}
SHIPPED = "shipped"  # corpora/ of this repository


class TextOnly(html.parser.HTMLParser):
    """HTML or Mallard XML to text, roughly as a main-text extractor leaves a page: tags dropped; scripts,
    styles, navigation, headers, footers, sidebars and menus skipped; block ends as newlines; table
    cells separated by spaces."""

    BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "ul", "ol", "dl", "dt",
              "dd", "section", "article", "title", "blockquote", "page", "info", "item", "screen", "note", "list",
              "terms", "desc", "tree", "listing", "example", "figure", "caption", "synopsis"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
            "wbr"}
    SKIP = {"script", "style", "svg", "nav", "header", "footer", "aside", "noscript", "head", "button", "form",
            "select", "math"}
    SKIP_CLASS = re.compile(r"sidebar|navig|navbar|menu|breadcrumb|footer|header|related|\btoc|search|skip|"
                            r"cookie|banner|pagination|prev-next|rel-links", re.I)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.skip_depth = 0  # stack depth at which a skipped element opened; 0: not skipping

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            if tag in ("br", "hr") and not self.skip_depth:
                self.parts.append("\n")
            return
        self.stack.append(tag)
        if self.skip_depth:
            return
        if tag in self.SKIP:
            self.skip_depth = len(self.stack)
            return
        for name, value in attrs:
            if name in ("class", "id", "role") and value and self.SKIP_CLASS.search(value):
                self.skip_depth = len(self.stack)
                return
        if tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.VOID or tag not in self.stack:
            return
        while self.stack and self.stack.pop() != tag:
            pass
        if self.skip_depth:
            if len(self.stack) < self.skip_depth:
                self.skip_depth = 0
            return
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip_depth:
            self.parts.append(data)


BLANKS = re.compile(r"[ \t]*\n[ \t\n]*\n")
TRAILING = re.compile(r"[ \t]+\n")


def html_text(raw: bytes) -> str:
    parser = TextOnly()
    parser.feed(raw.decode("utf-8", errors="replace"))
    parser.close()
    text = "".join(parser.parts)
    text = TRAILING.sub("\n", text)
    return BLANKS.sub("\n\n", text).strip()


def decode(raw: bytes, reader: str) -> str:
    if reader in ("gzip", "gzip-or-plain") and raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error):
            return ""
    if reader == "html":
        return html_text(raw)
    return raw.decode("utf-8", errors="replace")


def download(package: str, debs: str) -> str:
    """The pinned .deb of `name=version`, fetched with apt-get download into `debs` once."""
    name, version = package.split("=", 1)
    filename = f"{name}_{version.replace(':', '%3a')}_all.deb"
    path = os.path.join(debs, filename)
    if not os.path.exists(path):
        os.makedirs(debs, exist_ok=True)
        result = subprocess.run(["apt-get", "download", "-q", package], cwd=debs, capture_output=True, text=True)
        if result.returncode != 0 or not os.path.exists(path):
            raise SystemExit(f"apt-get download {package} failed (Debian may have replaced this version: update "
                             f"the pin in bench/pipeline/make_corpus.py KINDS):\n{result.stderr.strip()}")
    return path


def deb_members(deb: str):
    """(path, bytes) of every regular file of a .deb, in archive order, without unpacking it to disk."""
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
        for member in tar:
            if member.isfile():
                handle = tar.extractfile(member)
                if handle is not None:
                    yield member.name, handle
    proc.stdout.close()
    proc.wait()


def split_document(text: str, rng: SplitMix64) -> list[str]:
    """A long text (a dictionary, a big source file) as documents of log-normal size cut at line ends:
    median 6 kB, most between 1 and 40 kB."""
    if len(text) <= 64_000:
        return [text]
    pieces = []
    start = 0
    while start < len(text):
        size = int(min(200_000, max(300, 6_000 * math.exp(1.0 * rng.gauss()))))
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            end = cut + 1 if cut > 0 else end
        piece = text[start:end].strip()
        if piece:
            pieces.append(piece)
        start = end
    return pieces


def extract_kind(kind: str, text_dir: str, debs: str) -> str:
    """Builds text_dir/KIND.docs once: documents as little-endian u32 length + UTF-8 bytes."""
    spec = KINDS[kind]
    key = f"{TEXT_FORMAT} {spec}"
    target = os.path.join(text_dir, kind + ".docs")
    stamp = target + ".key"
    if os.path.exists(target) and os.path.exists(stamp) and open(stamp).read() == key:
        return target
    os.makedirs(text_dir, exist_ok=True)
    pattern = re.compile(spec["pattern"])
    cap = spec["cap"] * MB
    share = spec.get("share", 1.0)
    rng = SplitMix64(zlib.crc32(kind.encode()))
    total = 0
    count = 0
    tmp = target + ".partial"
    with open(tmp, "wb") as out:
        def emit(text: str) -> None:
            nonlocal total, count
            for piece in split_document(text.replace("\x00", ""), rng):
                data = piece.encode("utf-8")
                if total >= cap:
                    return
                out.write(struct.pack("<I", len(data)))
                out.write(data)
                total += len(data)
                count += 1

        for package in spec["packages"]:
            if total >= cap:
                break
            print(f"  {kind}: {package}", file=sys.stderr, flush=True)
            for path, handle in deb_members(download(package, debs)):
                if total >= cap:
                    break
                if spec["reader"] == "kernel":
                    if path.endswith(".tar.xz"):
                        with tarfile.open(fileobj=handle, mode="r|xz") as tree:
                            for member in tree:
                                if total >= cap:
                                    break
                                if member.isfile() and pattern.search(member.name) \
                                        and path_fraction(member.name) < share:
                                    inner = tree.extractfile(member)
                                    if inner is not None:
                                        emit(inner.read().decode("utf-8", errors="replace"))
                    continue
                if not pattern.search(path) or path_fraction(path) >= share:
                    continue
                text = decode(handle.read(), spec["reader"])
                if kind == "fortunes":  # cookies are separated by lines of "%": groups of 20 make a document
                    cookies = [c.strip() for c in text.split("\n%\n") if c.strip()]
                    for i in range(0, len(cookies), 20):
                        emit("\n\n".join(cookies[i:i + 20]))
                elif text.strip():
                    emit(text)
    os.replace(tmp, target)
    with open(stamp, "w") as f:
        f.write(key)
    print(f"  {kind}: {count:,} documents, {total / MB:.1f} MB", file=sys.stderr, flush=True)
    return target


def read_docs(path: str) -> list[bytes]:
    with open(path, "rb") as f:
        data = f.read()
    docs, pos = [], 0
    while pos < len(data):
        (n,) = struct.unpack_from("<I", data, pos)
        docs.append(data[pos + 4:pos + 4 + n])
        pos += 4 + n
    return docs


def shipped_docs() -> list[bytes]:
    """The repository's corpora: Shakespeare (one document per play), Python docs and the multilingual
    JSON Lines (one document per record)."""
    import glob
    docs = []
    for path in sorted(glob.glob(os.path.join(REPO, "corpora", "shakespeare", "*.txt"))):
        with open(path, "rb") as f:
            docs.append(f.read())
    for path in sorted(glob.glob(os.path.join(REPO, "corpora", "python-docs", "*.jsonl.*"))
                       + glob.glob(os.path.join(REPO, "corpora", "multilingual", "*.jsonl"))):
        if path.endswith(".gz"):
            raw = gzip.open(path).read()
        elif path.endswith(".zst"):
            raw = subprocess.run(["zstd", "-qdc", path], check=True, capture_output=True).stdout
        else:
            raw = open(path, "rb").read()
        for line in raw.splitlines():
            if line.strip():
                docs.append(json.loads(line)["text"].encode("utf-8"))
    return docs


# ---------------------------------------------------------------------------------------------
# Duplicates.

BOILERPLATE = [
    "Home | About | Contact | Privacy policy",
    "Share this page: Twitter Facebook LinkedIn Email",
    "This site uses cookies. By continuing to browse you agree to our use of cookies.",
    "Copyright (c) 2024 All rights reserved.",
    "Skip to main content",
    "Previous topic | Next topic | This page",
    "Was this page helpful? Yes No",
    "Subscribe to our newsletter for updates.",
]
WORDS = re.compile(r"(\s+)")


def respell(text: str, rng: SplitMix64) -> str:
    """The same text with other case, spacing and punctuation (equal after dedup normalization)."""
    lines = text.split("\n")
    for i in range(len(lines)):
        r = rng.uniform()
        if r < 0.15:
            lines[i] = lines[i].upper()
        elif r < 0.3:
            lines[i] = lines[i].replace(" ", "  ")
        elif r < 0.4:
            lines[i] = lines[i].rstrip(".") + "!"
    return "\n".join(lines)


def perturb(text: str, rng: SplitMix64) -> str:
    """A near duplicate: 1-12% of the words substituted, deleted or repeated, sometimes a boilerplate
    line at the top or bottom."""
    parts = WORDS.split(text)
    words = parts[0::2]
    rate = 0.01 + 0.11 * rng.uniform()
    n = len(words)
    for _ in range(max(1, int(n * rate))):
        i = rng.below(n)
        op = rng.below(3)
        if op == 0:
            words[i] = words[rng.below(n)]
        elif op == 1:
            words[i] = ""
        else:
            words[i] = words[i] + " " + words[i]
    parts[0::2] = words
    out = "".join(parts)
    r = rng.uniform()
    if r < 0.25:
        out = BOILERPLATE[rng.below(len(BOILERPLATE))] + "\n" + out
    elif r < 0.5:
        out = out + "\n" + BOILERPLATE[rng.below(len(BOILERPLATE))]
    return out


# ---------------------------------------------------------------------------------------------

FILE_SHARES = [0.02, 0.45, 0.12, 0.09, 0.08, 0.06, 0.05, 0.04, 0.03, 0.025, 0.02, 0.01, 0.005]
COMPRESSED = {2, 4, 6, 9, 11}
COPY_SHARE = 0.12


def record(doc_id: str, text: str, kind: str) -> bytes:
    return (json.dumps({"id": doc_id, "text": text, "kind": kind}, ensure_ascii=False) + "\n").encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(WORK, "corpus"))
    parser.add_argument("--seed", type=int, default=20240520)
    parser.add_argument("--size-mb", type=float, default=1100, help="JSON Lines MB of the whole corpus")
    parser.add_argument("--subset-mb", type=float, default=150, help="JSON Lines MB of subset.jsonl (block 0)")
    parser.add_argument("--debs", default=os.path.join(WORK, "debs"))
    parser.add_argument("--text", default=os.path.join(WORK, "text"))
    args = parser.parse_args()

    print("extracting text (cached in %s)" % args.text, file=sys.stderr)
    pool: list[tuple[str, str, bytes]] = []
    for i, data in enumerate(shipped_docs()):
        pool.append((SHIPPED, f"{SHIPPED}/{i}", data))
    for kind in KINDS:
        for i, data in enumerate(read_docs(extract_kind(kind, args.text, args.debs))):
            pool.append((kind, f"{kind}/{i}", data))
    pool_bytes = sum(len(d) for _, _, d in pool)
    print(f"{len(pool):,} documents, {pool_bytes / MB:.1f} MB of text to draw from", file=sys.stderr)

    rng = SplitMix64(args.seed)
    rng.shuffle(pool)

    # Blocks of originals with their copies; the sequence of JSONL records of the whole corpus.
    records: list[tuple[str, bytes]] = []
    subset_count = 0
    taken = 0
    copies = {"exact": 0, "respelled": 0, "near": 0}
    target = args.size_mb * MB
    total = 0
    block_target = args.subset_mb * MB / (1 + COPY_SHARE * 1.5)  # 1.5 copies per copied document
    while total < target and taken < len(pool):
        first = taken
        block_bytes = 0
        block: list[tuple[str, bytes]] = []
        while taken < len(pool) and block_bytes < block_target \
                and total + block_bytes * (1 + COPY_SHARE * 1.5) < target:
            kind, doc_id, data = pool[taken]
            block.append((kind, record(doc_id, data.decode("utf-8"), kind)))
            block_bytes += len(block[-1][1])
            taken += 1
        for _ in range(int((taken - first) * COPY_SHARE)):
            source = first + rng.below(taken - first) if first == 0 or rng.uniform() < 0.8 else rng.below(first)
            kind, doc_id, data = pool[source]
            text = data.decode("utf-8")
            r = rng.uniform()
            style = "exact" if r < 0.4 else "respelled" if r < 0.55 else "near"
            repeats = 1 if rng.uniform() < 0.9 else 2 + rng.below(9)
            for k in range(repeats):
                copies[style] += 1
                copy = text if style == "exact" else respell(text, rng) if style == "respelled" else perturb(text, rng)
                block.append((kind, record(f"{doc_id}~{style}{copies[style]}", copy, kind)))
                block_bytes += len(block[-1][1])
        rng.shuffle(block)
        records += block
        total += block_bytes
        if first == 0:
            subset_count = len(block)
    if total < target:
        raise SystemExit(f"only {total / MB:.0f} MB of JSON Lines from {pool_bytes / MB:.0f} MB of text: raise the "
                         f"caps in KINDS or lower --size-mb")

    # Files.
    os.makedirs(args.out, exist_ok=True)
    for name in os.listdir(args.out):
        if name.startswith("part-") or name in ("subset.jsonl", "corpus.json"):
            os.remove(os.path.join(args.out, name))
    shares = [s / sum(FILE_SHARES) for s in FILE_SHARES]
    files = []
    index = 0
    for n, share in enumerate(shares):
        name = f"part-{n:02d}.jsonl"
        path = os.path.join(args.out, name)
        size = 0
        digest = hashlib.sha256()
        documents = 0
        with open(path, "wb") as f:
            while index < len(records) and (size < share * total or n == len(shares) - 1):
                data = records[index][1]
                f.write(data)
                digest.update(data)
                size += len(data)
                index += 1
                documents += 1
        entry = {"file": name, "documents": documents, "jsonl_bytes": size, "jsonl_sha256": digest.hexdigest()}
        if n in COMPRESSED:
            subprocess.run(["zstd", "-q", "-3", "-T1", "--rm", "-f", path], check=True)
            entry["file"] = name + ".zst"
            entry["bytes"] = os.path.getsize(path + ".zst")
        else:
            entry["bytes"] = size
        files.append(entry)
    subset_path = os.path.join(args.out, "subset.jsonl")
    digest = hashlib.sha256()
    with open(subset_path, "wb") as f:
        for _, r in records[:subset_count]:
            f.write(r)
            digest.update(r)
    subset_bytes = sum(len(r) for _, r in records[:subset_count])
    kinds: dict[str, list[int]] = {}
    for kind, r in records:
        kinds.setdefault(kind, [0, 0])
        kinds[kind][0] += 1
        kinds[kind][1] += len(r)
    summary = {
        "seed": args.seed, "documents": len(records), "jsonl_bytes": total, "originals": taken, "copies": copies,
        "files": files,
        "subset": {"file": "subset.jsonl", "documents": subset_count, "jsonl_bytes": subset_bytes,
                   "jsonl_sha256": digest.hexdigest()},
        "kinds": {k: {"documents": v[0], "jsonl_bytes": v[1]} for k, v in sorted(kinds.items())},
        "packages": [p for spec in KINDS.values() for p in spec["packages"]],
    }
    with open(os.path.join(args.out, "corpus.json"), "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    print(f"corpus: {len(records):,} documents, {total / MB:.1f} MB of JSON Lines in {len(files)} files "
          f"({args.out}); copies {copies}")
    for e in files:
        print(f"  {e['file']:<20} {e['documents']:>8,} documents {e['jsonl_bytes'] / MB:8.1f} MB JSONL "
              f"{e['bytes'] / MB:8.1f} MB on disk")
    print(f"  subset.jsonl         {subset_count:>8,} documents {subset_bytes / MB:8.1f} MB (the first documents)")
    for k, v in sorted(kinds.items(), key=lambda kv: -kv[1][1]):
        print(f"  kind {k:<18} {v[0]:>8,} documents {v[1] / MB:8.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
