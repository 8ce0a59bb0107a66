#!/usr/bin/env python3
"""Real text of many kinds, taken from Debian packages, for tokenizer checks and benchmarks.

    python3 scripts/tokenizer/realtext.py [--dir DIR]    # fetch (once) and print the corpus table

Each kind becomes DIR/KIND.txt (default DIR: <repo>/.cache/tokenizer-text): documents, each one
source file, joined by the byte 0x1E (ASCII record separator), valid UTF-8 only. Packages are
fetched with `apt-get download` (no install) and unpacked with `dpkg-deb -x`. Nothing here is
committed: the data is used for testing and benchmarking only.

Kinds, packages and licences (Debian's copyright files hold the details):
  docs-python    python3.11-doc     Python documentation, HTML tags stripped      PSF-2.0
  docs-perl      perl-doc           Perl's POD documentation                      Artistic or GPL-1+
  dict-gcide     dict-gcide         GNU Collaborative International Dictionary    GPL-3+
  dict-wordnet   wordnet-base       WordNet 3.0 database files (many digits)      WordNet licence (BSD-like)
  dict-words     wamerican-huge     a word list, one word a line                  public domain / BSD-like
  code-go        golang-1.19-src    Go standard library source                    BSD-3-Clause
  code-python    libpython3.11-stdlib  Python standard library source             PSF-2.0
  man-ja man-zh man-ru man-uk        man pages (roff source) in Japanese, Chinese,
                 manpages-ja/-zh/-ru/-uk   Russian, Ukrainian                     GPL and others (per page)
  fortunes-en/-zh/-ru  fortunes fortunes-zh fortunes-ru  fortune cookies         public domain / BSD-like
  emoji          unicode-data       emoji test and sequence files (ZWJ, flags, skin tones)  Unicode licence
"""

from __future__ import annotations

import argparse
import gzip
import html.parser
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_DIR = os.path.join(REPO, ".cache", "tokenizer-text")
SEPARATOR = "\x1e"
MB = 1_000_000
DOC_CHUNK = 256_000

# kind: (package, subfolder inside the package, file suffixes, byte cap, reader)
KINDS = {
    "docs-python": ("python3.11-doc", "usr/share/doc/python3.11/html", (".html",), 12 * MB, "html"),
    "docs-perl": ("perl-doc", "usr/share/perl", (".pod",), 8 * MB, "plain"),
    "dict-gcide": ("dict-gcide", "usr/share/dictd", (".dict.dz",), 10 * MB, "gzip"),
    "dict-wordnet": ("wordnet-base", "usr/share/wordnet", ("data.noun", "data.verb", "data.adj", "data.adv"), 8 * MB, "plain"),
    "dict-words": ("wamerican-huge", "usr/share/dict", ("american-english-huge",), 4 * MB, "plain"),
    "code-go": ("golang-1.19-src", "usr/share/go-1.19/src", (".go",), 10 * MB, "plain"),
    "code-python": ("libpython3.11-stdlib", "usr/lib/python3.11", (".py",), 8 * MB, "plain"),
    "man-ja": ("manpages-ja", "usr/share/man/ja", (".gz",), 6 * MB, "gzip"),
    "man-zh": ("manpages-zh", "usr/share/man", (".gz",), 6 * MB, "gzip"),
    "man-ru": ("manpages-ru", "usr/share/man/ru", (".gz",), 6 * MB, "gzip"),
    "man-uk": ("manpages-uk", "usr/share/man/uk", (".gz",), 6 * MB, "gzip"),
    "fortunes-en": ("fortunes", "usr/share/games/fortunes", ("",), 4 * MB, "plain"),
    "fortunes-zh": ("fortunes-zh", "usr/share/games/fortunes", ("",), 4 * MB, "plain"),
    "fortunes-ru": ("fortunes-ru", "usr/share/games/fortunes", ("",), 4 * MB, "plain"),
    "emoji": ("unicode-data", "usr/share/unicode/emoji", (".txt",), 4 * MB, "plain"),
}


class _TextOnly(html.parser.HTMLParser):
    """HTML to text: drops tags, scripts and styles; keeps the text and its whitespace as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _read(path: str, reader: str) -> bytes:
    with open(path, "rb") as f:
        raw = f.read()
    if reader == "gzip":
        try:
            raw = gzip.decompress(raw)
        except OSError:
            return b""
    if reader == "html":
        try:
            parser = _TextOnly()
            parser.feed(raw.decode("utf-8"))
            raw = "".join(parser.parts).encode("utf-8")
        except UnicodeDecodeError:
            return b""
    return raw


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def build_kind(kind: str, out_dir: str, work: str) -> str:
    package, sub, suffixes, cap, reader = KINDS[kind]
    target = os.path.join(out_dir, kind + ".txt")
    if os.path.exists(target):
        return target
    debs = os.path.join(out_dir, "debs")
    os.makedirs(debs, exist_ok=True)
    if not any(n.startswith(package + "_") for n in os.listdir(debs)):
        subprocess.check_call(["apt-get", "download", "-q", package], cwd=debs,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deb = sorted(n for n in os.listdir(debs) if n.startswith(package + "_"))[-1]
    root = os.path.join(work, package)
    subprocess.check_call(["dpkg-deb", "-x", os.path.join(debs, deb), root])
    base = os.path.join(root, sub)
    files = []
    for folder, _, names in os.walk(base):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            if kind.startswith("fortunes"):
                if name.endswith(".dat"):
                    continue
            elif not any(name.endswith(s) for s in suffixes):
                continue
            if kind == "man-zh" and "/zh_" not in path:
                continue
            files.append(path)
    files.sort()
    docs: list[bytes] = []
    total = skipped = 0
    pieces = []
    for path in files:
        data = _read(path, reader)
        if not data or b"\x1e" in data:
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            if len(data) < MB:
                skipped += 1
                continue
            # a large file with a few stray bytes (GCIDE has some cp1252): keep its valid lines
            lines = data.splitlines(keepends=True)
            good = [line for line in lines if _is_utf8(line)]
            skipped += len(lines) - len(good)
            data = b"".join(good)
        # big files become several documents (about 256 kB, cut at line ends)
        while len(data) > 2 * DOC_CHUNK:
            cut = data.rfind(b"\n", 0, DOC_CHUNK) + 1 or DOC_CHUNK
            pieces.append(data[:cut])
            data = data[cut:]
        pieces.append(data)
    for data in pieces:
        if total + len(data) > cap:
            data = data[: max(0, cap - total)]
            # cut at a line end so the document stays valid UTF-8
            data = data[: data.rfind(b"\n") + 1]
            if not data:
                break
        docs.append(data)
        total += len(data)
        if total >= cap:
            break
    tmp = target + ".partial"
    with open(tmp, "wb") as f:
        f.write(SEPARATOR.encode().join(docs))
    os.replace(tmp, target)
    if skipped:
        print(f"{kind}: left out {skipped} files or lines that are not UTF-8", file=sys.stderr)
    return target


def fetch(out_dir: str = DEFAULT_DIR, kinds: list[str] | None = None) -> dict[str, str]:
    """Builds (once) every kind's text file; returns kind -> path."""
    os.makedirs(out_dir, exist_ok=True)
    paths = {}
    with tempfile.TemporaryDirectory(prefix="grist-realtext-") as work:
        for kind in kinds or list(KINDS):
            paths[kind] = build_kind(kind, out_dir, work)
    return paths


def documents(path: str) -> list[bytes]:
    with open(path, "rb") as f:
        return f.read().split(SEPARATOR.encode())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=DEFAULT_DIR)
    args = parser.parse_args()
    paths = fetch(args.dir)
    total = 0
    for kind, path in paths.items():
        size = os.path.getsize(path)
        total += size
        print(f"{kind:14} {size / MB:7.2f} MB {len(documents(path)):7} documents  {path}")
    print(f"{'total':14} {total / MB:7.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
