#!/usr/bin/env python3
"""Write a WET file laid out as Common Crawl's (`*.warc.wet.gz`), with the Python standard library only.

Usage: build_wet.py FROM_WET OUT
  Reads the pages' URLs and texts from the conversion records of FROM_WET (corpora/formats/web/
  python-docs.wet.gz) and writes OUT (corpora/formats/cc/python-docs.warc.wet.gz).
  build_formats.py calls write_cc_wet() with the same texts made from the HTML, so either way gives
  the same bytes.

Layout, as in Common Crawl's WET files: one gzip member per record (mtime 0, no name); a warcinfo
record first (Content-Type: application/warc-fields; software, isPartOf, operator, description,
publisher), then one conversion record per page with WARC-Type, WARC-Target-URI, WARC-Date,
WARC-Record-ID, WARC-Refers-To (the id of the page's response record in python-docs.warc.gz),
WARC-Block-Digest (sha1, base32, of the text), WARC-Identified-Content-Language: eng,
Content-Type: text/plain and Content-Length; each record ends with two CRLFs.
Deterministic: record ids are uuid5 of the URL, as build_formats.py makes them.
"""
import base64
import gzip
import hashlib
import os
import sys
import uuid

DATE = "2023-03-01T00:00:00Z"


def rid(url, kind):
    return "<urn:uuid:%s>" % uuid.uuid5(uuid.NAMESPACE_URL, kind + ":" + url)


def record(fields, content):
    head = "WARC/1.0\r\n" + "".join("%s: %s\r\n" % kv for kv in fields)
    head += "Content-Length: %d\r\n\r\n" % len(content)
    return gzip.compress(head.encode("utf-8") + content + b"\r\n\r\n", compresslevel=9, mtime=0)


def write_cc_wet(path, pages):
    """pages: (url, text bytes) in file order."""
    name = os.path.basename(path)
    info = ("software: gristmill corpora/scripts/build_wet.py\r\n"
            "isPartOf: gristmill-python-docs-3.11\r\n"
            "operator: gristmill corpora\r\n"
            "description: Conversion records of 24 Python 3.11 documentation pages, laid out as Common Crawl's WET files\r\n"
            "publisher: gristmill\r\n").encode("utf-8")
    with open(path, "wb") as out:
        out.write(record([("WARC-Type", "warcinfo"), ("WARC-Date", DATE), ("WARC-Filename", name),
                          ("WARC-Record-ID", rid(name, "warcinfo")),
                          ("Content-Type", "application/warc-fields")], info))
        for url, text in pages:
            digest = "sha1:" + base64.b32encode(hashlib.sha1(text).digest()).decode("ascii")
            out.write(record([("WARC-Type", "conversion"), ("WARC-Target-URI", url), ("WARC-Date", DATE),
                              ("WARC-Record-ID", rid(url, "conversion")), ("WARC-Refers-To", rid(url, "response")),
                              ("WARC-Block-Digest", digest), ("WARC-Identified-Content-Language", "eng"),
                              ("Content-Type", "text/plain")], text))


def read_conversions(path):
    """(url, text bytes) of each conversion record of a WARC/WET file (gzip or plain)."""
    data = open(path, "rb").read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    pages, at = [], 0
    while True:
        at = data.find(b"WARC/1.", at)
        if at < 0:
            return pages
        end = data.index(b"\r\n\r\n", at)
        fields = {}
        for line in data[at:end].split(b"\r\n")[1:]:
            key, _, value = line.decode("utf-8").partition(":")
            fields[key.strip().lower()] = value.strip()
        length = int(fields["content-length"])
        content = data[end + 4:end + 4 + length]
        if fields.get("warc-type") == "conversion":
            pages.append((fields["warc-target-uri"], content))
        at = end + 4 + length


def main():
    source, out = sys.argv[1:3]
    write_cc_wet(out, read_conversions(source))


if __name__ == "__main__":
    main()
