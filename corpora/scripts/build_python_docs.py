#!/usr/bin/env python3
"""Build corpora/python-docs/ from the HTML tree of Debian's python3.11-doc.

    build_python_docs.py HTML_ROOT OUT_DIR

HTML_ROOT is usr/share/doc/python3.11/html of the unpacked .deb.  Every
*.html page (sorted by relative path, bytewise) except the generated index
pages (genindex*, py-modindex, search, contents = the full TOC) and the _static/_sources/... trees
becomes one JSON line

    {"id": "library/json.html", "text": "...", "url": "https://docs.python.org/3.11/library/json.html", "title": "..."}

The sorted records are cut into NPARTS contiguous parts of about equal size;
all parts but the last are written as .jsonl.zst (zstandard level 19, one
frame, with content size and checksum), the last one as .jsonl.gz (deflate
level 9, gzip header with mtime 0, no file name), so both compressions are
exercised.  Output is byte-for-byte reproducible for a given input, Python
zlib and the pinned zstandard module.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import zlib

import zstandard

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pydoc_html_to_text import html_to_text  # noqa: E402

BASE_URL = "https://docs.python.org/3.11/"
NPARTS = 3
ZSTD_LEVEL = 19
# generated navigation pages: indexes, search, and the full table of contents
EXCLUDE_FILES = {"search.html", "py-modindex.html", "genindex.html", "contents.html"}


def list_pages(root: str) -> list[str]:
    pages = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith("_")]
        for name in filenames:
            if not name.endswith(".html"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
            if rel in EXCLUDE_FILES or rel.startswith("genindex"):
                continue
            pages.append(rel)
    return sorted(pages, key=lambda p: p.encode("utf-8"))


def gzip_bytes(data: bytes) -> bytes:
    """gzip member with a fixed header: no name, mtime 0, XFL 2, OS 255."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS, 9)
    body = comp.compress(data) + comp.flush()
    header = b"\x1f\x8b\x08\x00" + struct.pack("<I", 0) + b"\x02\xff"
    trailer = struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    return header + body + trailer


def zstd_bytes(data: bytes) -> bytes:
    cctx = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True,
                                    write_content_size=True, threads=0)
    return cctx.compress(data)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, out_dir = argv[1], argv[2]
    os.makedirs(out_dir, exist_ok=True)
    for name in os.listdir(out_dir):
        if name.endswith((".jsonl.zst", ".jsonl.gz", ".jsonl")):
            os.remove(os.path.join(out_dir, name))

    lines: list[bytes] = []
    for rel in list_pages(root):
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            title, text = html_to_text(f.read())
        if not text.strip():
            print(f"skip empty page {rel}", file=sys.stderr)
            continue
        rec = {"id": rel, "text": text, "url": BASE_URL + rel, "title": title}
        lines.append(json.dumps(rec, ensure_ascii=False).encode("utf-8") + b"\n")

    total = sum(len(x) for x in lines)
    parts: list[list[bytes]] = [[] for _ in range(NPARTS)]
    acc = 0
    for line in lines:
        idx = min(NPARTS - 1, acc * NPARTS // total)
        parts[idx].append(line)
        acc += len(line)

    for i, part in enumerate(parts):
        data = b"".join(part)
        if i < NPARTS - 1:
            name, blob = f"part-{i:03d}.jsonl.zst", zstd_bytes(data)
        else:
            name, blob = f"part-{i:03d}.jsonl.gz", gzip_bytes(data)
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(blob)
        first = json.loads(part[0])["id"]
        last = json.loads(part[-1])["id"]
        print(f"{name}: {len(part)} docs ({first} .. {last}), "
              f"{len(data)} bytes raw -> {len(blob)} bytes")
    print(f"python-docs: {len(lines)} docs, {total} bytes of JSONL")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
