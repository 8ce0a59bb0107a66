#!/usr/bin/env python3
"""Convert one Sphinx-generated Python documentation page (HTML) to plain text.

Standard library only (html.parser).  Used by build_python_docs.py.

What is kept: the main content of the page (Sphinx's ``<div class="body">``):
headings (rendered as ``#``/``##``/... lines), paragraphs, list items
(``- `` / ``1. ``), definition lists (API signatures and their descriptions),
table rows (cells joined with `` | ``) and code blocks (``<pre>``), which are
kept verbatim -- line breaks and indentation untouched -- between ``` fences.

What is dropped: <head>, scripts, styles, <nav>, <header>, <footer>, forms,
the sidebar, the "related" navigation bars, the mobile menu, the footer and
the "¶" permalink anchors.  Outside <pre>, runs of whitespace collapse to
one space, as a browser would render them.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser

VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
    "meta", "param", "source", "track", "wbr",
}
SKIP_TAGS = {
    "head", "script", "style", "nav", "header", "footer", "form", "button",
    "noscript", "svg", "template", "iframe", "select", "textarea",
}
SKIP_CLASSES = {
    "sphinxsidebar", "sphinxsidebarwrapper", "related", "footer", "headerlink",
    "mobile-nav", "menu-wrapper", "inline-search", "searchbox",
    "version_switcher_placeholder", "language_switcher_placeholder",
    "clearer", "copybutton",
}
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
TITLE_SUFFIX = re.compile(r"\s+\u2014\s+Python [0-9.]+\S* documentation\s*$")
_WS = re.compile(r"[ \t\n\r\f\v]+")  # HTML whitespace only (not NBSP etc.)


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, opened-a-skip-region)
        self.skip_depth = 0
        self.body_depth = 0          # >0 while inside <div class="body">
        self.in_title = False
        self.title_parts: list[str] = []
        self.pre_depth = 0
        self.pre_parts: list[str] = []
        self.inline: list[str] = []  # current paragraph's fragments
        self.heading_level = 0
        self.list_stack: list[list] = []  # [kind, counter]
        self.pending_prefix = ""     # "- " / "3. " for the next block
        self.in_row = False
        self.row_cells: list[str] = []
        self.blocks: list[tuple[str, str]] = []  # (separator-kind, text)

    # -- helpers ---------------------------------------------------------
    @staticmethod
    def _classes(attrs) -> set[str]:
        for k, v in attrs:
            if k == "class" and v:
                return set(v.split())
        return set()

    def _emit(self, text: str, tight: bool = False) -> None:
        self.blocks.append(("tight" if tight else "para", text))

    def _flush(self) -> None:
        raw = "".join(self.inline)
        self.inline = []
        text = _WS.sub(" ", raw).replace("\x00", "\n")
        text = "\n".join(line.strip() for line in text.split("\n")).strip()
        if self.in_row:
            if text:
                self.row_cells.append(text)
            return
        if not text:
            return
        tight = False
        depth = len(self.list_stack)
        lines = text.split("\n")
        if self.heading_level:
            text = "#" * self.heading_level + " " + " ".join(lines)
        elif self.pending_prefix and depth:
            # first block of a list item: "- text", continuation lines aligned
            pad = "  " * (depth - 1)
            cont = pad + " " * len(self.pending_prefix)
            text = "\n".join([pad + self.pending_prefix + lines[0]]
                             + [cont + line for line in lines[1:]])
            self.pending_prefix = ""
            tight = True
        elif depth:
            # further paragraph inside a list item: indent under the bullet
            pad = "  " * depth
            text = "\n".join(pad + line for line in lines)
        self._emit(text, tight)

    # -- parser callbacks ---------------------------------------------------
    def handle_starttag(self, tag, attrs):
        if tag == "title" and not self.body_depth:
            self.in_title = True
            return
        classes = self._classes(attrs)
        if tag in VOID_TAGS:
            if tag == "br" and self.body_depth and not self.skip_depth:
                if self.pre_depth:
                    self.pre_parts.append("\n")
                else:
                    self.inline.append("\x00")
            return
        opens_skip = tag in SKIP_TAGS or bool(classes & SKIP_CLASSES)
        self.stack.append((tag, opens_skip))
        if opens_skip:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if not self.body_depth:
            if tag == "div" and "body" in classes:
                self.body_depth = len(self.stack)
            return
        if self.pre_depth:
            if tag == "pre":
                self.pre_depth += 1
            return
        if tag == "pre":
            self._flush()
            self.pre_depth = 1
            self.pre_parts = []
            return
        if tag in BLOCK_TAGS:
            if tag in ("td", "th") and self.in_row:
                self._flush()
                return
            self._flush()
            if tag in HEADINGS:
                self.heading_level = HEADINGS[tag]
            elif tag in ("ul", "ol"):
                self.list_stack.append([tag, 0])
            elif tag == "li" and self.list_stack:
                lst = self.list_stack[-1]
                lst[1] += 1
                self.pending_prefix = "- " if lst[0] == "ul" else f"{lst[1]}. "
            elif tag == "tr":
                self.in_row = True
                self.row_cells = []

    def handle_endtag(self, tag):
        if tag == "title" and self.in_title:
            self.in_title = False
            return
        if tag in VOID_TAGS:
            return
        # pop to the matching open tag (tolerates unclosed children)
        idx = None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                idx = i
                break
        if idx is None:
            return
        while len(self.stack) > idx:
            t, opened_skip = self.stack.pop()
            self._close(t, opened_skip, len(self.stack) + 1)

    def _close(self, tag, opened_skip, depth):
        if opened_skip:
            self.skip_depth -= 1
            return
        if self.skip_depth or not self.body_depth:
            return
        if self.pre_depth:
            if tag == "pre":
                self.pre_depth -= 1
                if self.pre_depth == 0:
                    code = "".join(self.pre_parts).rstrip("\n")
                    code = code.lstrip("\n")
                    if code.strip():
                        self._emit("```\n" + code + "\n```")
            return
        if depth == self.body_depth:
            self._flush()
            self.body_depth = 0
            return
        if tag in BLOCK_TAGS:
            if tag in ("td", "th") and self.in_row:
                self._flush()
                return
            self._flush()
            if tag in HEADINGS:
                self.heading_level = 0
            elif tag in ("ul", "ol") and self.list_stack:
                self.list_stack.pop()
                self.pending_prefix = ""
            elif tag == "tr" and self.in_row:
                self.in_row = False
                cells = self.row_cells
                self.row_cells = []
                if cells:
                    pad = "  " * len(self.list_stack)
                    self._emit(pad + " | ".join(c.replace("\n", " ") for c in cells),
                               tight=True)

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip_depth or not self.body_depth:
            return
        if self.pre_depth:
            self.pre_parts.append(data)
        else:
            self.inline.append(data)

    # -- result ------------------------------------------------------------
    def result(self) -> tuple[str, str]:
        self._flush()
        out: list[str] = []
        prev_kind = None
        for kind, text in self.blocks:
            if out:
                out.append("\n" if (kind == "tight" and prev_kind == "tight") else "\n\n")
            out.append(text)
            prev_kind = kind
        text = "".join(out).strip("\n") + "\n"
        title = _WS.sub(" ", "".join(self.title_parts)).strip()
        title = TITLE_SUFFIX.sub("", title)
        return title, text


def html_to_text(html: str) -> tuple[str, str]:
    """Return (title, text) for one page."""
    conv = _Converter()
    conv.feed(html)
    conv.close()
    return conv.result()


if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            title, text = html_to_text(f.read())
        sys.stdout.write(f"=== {path} | {title}\n{text}\n")
