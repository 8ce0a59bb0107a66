#!/usr/bin/env python3
"""Writes the seed corpus of the FuzzReaders harness into fuzz/corpus/ from corpora/ (run from the
repository root; needs the `zstandard` module). The first byte of each seed picks the reader."""
import bz2
import gzip
import os

import zstandard

OUT = "fuzz/corpus"


def w(name, selector, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(bytes([selector]) + data)


def main():
    os.makedirs(OUT, exist_ok=True)
    jsonl = b'{"id": 1, "text": "hello \\u00e9 \\ud83d\\ude00", "url": "u", "meta": {"lang": "fr"}}\n{"text": "two"}\nnot json\n'
    w("jsonl", 0, jsonl)
    w("text-paragraphs", 1, b"First paragraph\nline two\n\nSecond \xc3\xa9\n\n\nThird")
    w("text-separator", 2, b"one\n--\ntwo\n--\n\n--\nthree")
    w("html", 3, open("corpora/formats/html/about.html", "rb").read())
    w("warc", 4, open("corpora/formats/web/python-docs.warc", "rb").read()[:30000])
    xml = open("corpora/formats/wiki/pydoc-sample.xml", "rb").read()
    w("mediawiki", 5, xml[:40000] + b"</text></revision></page></mediawiki>")
    w("jsonl-gz", 6, gzip.compress(jsonl, mtime=0))
    w("warc-gz", 7, open("corpora/formats/web/python-docs.warc.gz", "rb").read()[:20000])
    w("mediawiki-bz2", 8, open("corpora/formats/wiki/bible-ja-sample.xml.bz2", "rb").read())
    w("html-zst", 9, zstandard.ZstdCompressor(level=3).compress(
        b'<html lang="de"><head><title>T</title></head><body><nav><a href="/">x</a></nav><main><h1>H</h1>'
        b"<p>Text <b>bold</b></p><table><tr><td>a</td><td>b</td></tr></table></main></body></html>"))
    w("wikitext", 5, b"<mediawiki><page><title>T</title><ns>0</ns><id>1</id><revision><text>"
      b"'''B''' [[a|b]] {{t|{{n}}}} &lt;ref&gt;r&lt;/ref&gt; {| t\n|x\n|} [[File:f|[[c]]]] [http://x y] "
      b"&amp;nbsp; == H ==\n* l</text></revision></page></mediawiki>")
    w("wet-gz", 10, open("corpora/formats/cc/python-docs.warc.wet.gz", "rb").read()[:20000])
    # Parquet: the footer is at the end, so seeds are whole files: one per writer and page layout, the
    # encodings and codecs the reader decodes, and two damaged ones (Tests/GristParquetTests/Fixtures).
    for name in ["pa-delta-v2-smallpages", "pa-dictionary-fallback", "pa-types-v2-nulls", "pa-fineweb-lz4",
                 "pl-fineweb-nulls-smallpages", "dd-fineweb-v2-nulls", "dd-types-v1", "bad-dictionary-index",
                 "bad-page-snappy-size"]:
        w("parquet-" + name, 11, open(os.path.join("Tests/GristParquetTests/Fixtures", name + ".parquet"), "rb").read())
    w("billion-laughs", 5, b'<!DOCTYPE l [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><mediawiki>&b;</mediawiki>')


if __name__ == "__main__":
    main()
