#!/usr/bin/env python3
"""Convert one Sphinx-generated Python documentation page (HTML) to MediaWiki wikitext.

Standard library only (html.parser).  Used by build_formats.py to make the English MediaWiki
sample in corpora/formats/wiki/ from real, permissively licensed text (the Python 3.11
documentation, PSF licence): no permissively licensed MediaWiki export of real pages was found
in PyPI or Debian packages.

The page's main content (Sphinx's ``<div class="body">``) is written the way Wikipedia editors
write wikitext, so that the sample has the constructs real dumps have:

- headings ``== … ==`` (the ``<h1>`` becomes the page title, not a heading);
- ``'''bold'''``, ``''italic''``, ``<code>``, ``<sup>``, ``<br />``, ``<blockquote>``;
- internal links ``[[Title#anchor|label]]`` (to the linked page's title), external links
  ``[url label]``;
- lists (``*``, ``#``, nested), definition lists (``;`` / ``:``, API signatures with ``{{anchor}}``);
- tables ``{| class="wikitable" … |}`` (``{{!}}`` for a pipe inside a cell);
- code blocks ``<syntaxhighlight lang="…">`` / ``<pre>``;
- templates: an infobox from the "Source code:" line of module pages, ``{{Note|1=…}}`` and the
  other admonitions, ``{{Version added|3.2}}`` / ``{{Version changed|…}}`` / ``{{Deprecated|…}}``
  for Sphinx's version notes, ``{{cite web}}`` inside references;
- references: Sphinx footnotes become ``<ref name=…>…</ref>`` at the place they are cited, RFC and
  PEP links get a ``<ref>{{cite web|…}}</ref>`` citation; ``{{Reflist}}`` under ``== References ==``;
- images ``[[File:name.png|thumb|caption]]``; categories from the page's section.

Deterministic: the output depends only on the input HTML and the title map.
"""

from __future__ import annotations

import posixpath
import re
from html import unescape
from html.parser import HTMLParser

VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
             "source", "track", "wbr"}
SKIP_CLASSES = {"headerlink", "target", "contents", "rubric", "copybutton"}
TITLE_SUFFIX = re.compile(r"\s+\u2014\s+Python [0-9.]+\S* documentation\s*$")
_WS = re.compile(r"[ \t\n\r\f\v]+")
ADMONITIONS = {"note": "Note", "warning": "Warning", "seealso": "See also", "important": "Important",
               "tip": "Tip", "caution": "Caution", "attention": "Attention", "danger": "Danger",
               "hint": "Hint", "impl-detail": "Implementation detail"}
VERSION_NOTES = {"versionadded": "Version added", "versionchanged": "Version changed",
                 "deprecated": "Deprecated", "deprecated-removed": "Deprecated"}
LANGS = {"python3": "python", "python": "python", "pycon": "pycon", "py": "python", "sh": "bash",
         "shell": "bash", "bash": "bash", "console": "console", "c": "c", "ini": "ini", "none": None,
         "text": None, "default": None, "pytb": "pytb", "json": "json"}
CATEGORIES = {"library": "Python standard library", "tutorial": "Python tutorial", "howto": "Python HOWTOs",
              "faq": "Python FAQ", "reference": "Python language reference", "using": "Python setup and usage"}
# text that wikitext would read as markup
_RISKY = re.compile(r"\[\[|\]\]|\{\{|\}\}|\{\||''|~~~|__[A-Z]+__|\[(?:https?|ftp|mailto):")


class Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.children, self.parent = tag, attrs, [], parent

    @property
    def classes(self):
        return set((self.attrs.get("class") or "").split())

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, pred):
        for c in self.children:
            if isinstance(c, Node):
                if pred(c):
                    yield c
                yield from c.find_all(pred)


class _TreeBuilder(HTMLParser):
    """A small DOM: Sphinx writes well-formed XHTML-style markup, so a tag stack suffices."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root
        self.title = []
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        node = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(node)
        if tag not in VOID_TAGS:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, dict(attrs), self.cur))

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        self.cur.children.append(data)


def parse(html):
    b = _TreeBuilder()
    b.feed(html)
    b.close()
    title = TITLE_SUFFIX.sub("", _WS.sub(" ", "".join(b.title)).strip())
    return b.root, title


def page_title(html):
    """The page's <title> without the " — Python 3.11.2 documentation" suffix."""
    m = re.search(r"<title>(.*?)</title>", html, re.S)
    return TITLE_SUFFIX.sub("", _WS.sub(" ", unescape(m.group(1))).strip()) if m else ""


def wiki_title(title):
    """Characters MediaWiki does not allow in titles are replaced."""
    return re.sub(r"[#<>\[\]|{}]", "-", title).strip()


def escape_text(s):
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _RISKY.search(s):
        s = "<nowiki>" + s + "</nowiki>"
    return s


def join_inline(pieces):
    """Concatenates inline pieces; an apostrophe next to a bold/italic run is written as &#39;."""
    out = ""
    for p in pieces:
        if not p:
            continue
        if out.endswith("'") and p.startswith("'"):
            p = "&#39;" + p[1:]
        out += p
    return out


class Converter:
    def __init__(self, page, titles):
        self.page = page            # e.g. "library/json.html"
        self.titles = titles        # page path -> wiki title
        self.footnotes = {}         # id -> Node
        self.refs_used = set()
        self.has_refs = False
        self.images = []

    # -- links -----------------------------------------------------------------
    def resolve(self, href):
        """Internal href -> "Title#anchor" (or "#anchor" on this page), None when not a page."""
        path, _, anchor = href.partition("#")
        if not path:
            return "#" + anchor if anchor else None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), path))
        title = self.titles.get(target)
        if title is None:
            return None
        if target == self.page:
            return "#" + anchor if anchor else None
        return title + ("#" + anchor if anchor else "")

    def cite(self, name, url, title, publisher):
        if name in self.refs_used:
            return '<ref name="%s" />' % name
        self.refs_used.add(name)
        self.has_refs = True
        return '<ref name="%s">{{cite web |url=%s |title=%s |publisher=%s}}</ref>' % (name, url, title, publisher)

    # -- inline ----------------------------------------------------------------
    def inline(self, node, ctx):
        pieces = []
        for c in node.children:
            if isinstance(c, str):
                t = _WS.sub(" ", c)
                t = escape_text(t)
                if ctx.get("pipe"):
                    t = t.replace("|", "{{!}}")
                pieces.append(t)
            else:
                pieces.append(self.inline_node(c, ctx))
        return join_inline(pieces)

    def code_text(self, node, ctx):
        t = _WS.sub(" ", node.text())
        t = t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if _RISKY.search(t) or ("|" in t and ctx.get("pipe")):
            t = "<nowiki>" + t + "</nowiki>"
        return t

    def inline_node(self, n, ctx):
        cls = n.classes
        if cls & SKIP_CLASSES and n.tag in ("a", "span", "p"):
            return ""
        tag = n.tag
        if tag == "br":
            return "<br />"
        if tag == "img":
            return self.image(n)
        if tag in ("strong", "b"):
            inner = self.inline(n, ctx).strip()
            return "'''%s'''" % inner if inner else ""
        if tag in ("em", "i", "cite", "dfn"):
            inner = self.inline(n, ctx).strip()
            return "''%s''" % inner if inner else ""
        if tag in ("code", "kbd", "samp", "tt"):
            t = self.code_text(n, ctx)
            if not t.strip():
                return ""
            wrap = "kbd" if tag == "kbd" else "code"
            return "<%s>%s</%s>" % (wrap, t, wrap)
        if tag in ("sup", "sub"):
            return "<%s>%s</%s>" % (tag, self.inline(n, ctx), tag)
        if tag == "a":
            return self.link(n, ctx)
        return self.inline(n, ctx)

    def link(self, n, ctx):
        cls = n.classes
        href = n.attrs.get("href") or ""
        if "footnote-reference" in cls:
            return self.footnote_ref(href.lstrip("#"), ctx)
        label_ctx = dict(ctx, in_link=True)
        label = self.inline(n, label_ctx).strip()
        if ctx.get("in_link") or not label:
            return label
        if "rfc" in cls or "pep" in cls:
            plain = _WS.sub(" ", n.text()).strip()
            m = re.match(r"(RFC|PEP) (\d+)", plain)
            if m and not ctx.get("no_refs"):
                kind, num = m.group(1), int(m.group(2))
                publisher = "IETF" if kind == "RFC" else "Python Software Foundation"
                return label + self.cite("%s%d" % (kind.lower(), num), href.split("#")[0],
                                         "%s %d" % (kind, num), publisher)
        if "external" in cls or re.match(r"(?:https?|ftp|mailto):", href):
            if not re.match(r"(?:https?|ftp|mailto):", href):
                return label
            plain = _WS.sub(" ", n.text()).strip()
            if plain == href:
                return href
            return "[%s %s]" % (href, label.replace("]", "&#93;"))
        target = self.resolve(href)
        if target is None:
            return label
        page_part = target.split("#")[0]
        if target == page_part and _WS.sub(" ", n.text()).strip() == page_part:
            return "[[%s]]" % target
        return "[[%s|%s]]" % (target, label)

    def footnote_ref(self, fid, ctx):
        if ctx.get("no_refs") or fid not in self.footnotes:
            return ""
        if fid in self.refs_used:
            return '<ref name="%s" />' % fid
        self.refs_used.add(fid)
        self.has_refs = True
        body = " ".join(self.inline(p, dict(ctx, no_refs=True, pipe=False)).strip()
                        for p in self.footnotes[fid].children if isinstance(p, Node) and p.tag == "p")
        return '<ref name="%s">%s</ref>' % (fid, body)

    def image(self, n):
        src = n.attrs.get("src") or ""
        name = posixpath.basename(src)
        if not name or name.endswith(".svg") and "_static" in src:
            return ""
        alt = (n.attrs.get("alt") or "").strip()
        caption = "" if not alt or posixpath.basename(alt) == name else "|" + escape_text(alt)
        self.images.append(name)
        return "[[File:%s|thumb%s]]" % (name, caption)

    # -- blocks ----------------------------------------------------------------
    def blocks(self, node, ctx):
        """List of wikitext blocks (paragraphs, lists, tables, code) for node's children."""
        out = []
        run = []  # inline children between block elements

        def flush():
            if run:
                holder = Node("span", {}, None)
                holder.children = list(run)
                text = self.inline(holder, ctx).strip()
                run.clear()
                if text:
                    out.append(self.para(text))

        for c in node.children:
            if isinstance(c, str) or c.tag in INLINE_TAGS:
                run.append(c)
                continue
            flush()
            out.extend(self.block(c, ctx))
        flush()
        return out

    @staticmethod
    def para(text):
        if text[:1] in "*#:; =" or text.startswith(("{|", "----")):
            text = "<nowiki/>" + text
        return text

    def block(self, n, ctx):
        cls = n.classes
        tag = n.tag
        if cls & SKIP_CLASSES or tag in ("script", "style", "nav", "aside", "hr"):
            return []
        if tag == "h1":
            return []
        if tag in ("h2", "h3", "h4", "h5", "h6"):
            level = int(tag[1])
            text = self.inline(n, dict(ctx, no_refs=True, in_link=True)).strip()   # no links in headings
            return ["%s %s %s" % ("=" * level, text, "=" * level)] if text else []
        if tag == "p":
            text = self.inline(n, ctx).strip()
            return [self.para(text)] if text else []
        if tag == "div" and any(c.startswith("highlight-") for c in cls):
            return self.code_block(n, cls)
        if tag == "pre":
            return self.code_block(n, {"highlight-default"})
        if tag == "div" and cls & set(ADMONITIONS):
            return self.admonition(n, ADMONITIONS[sorted(cls & set(ADMONITIONS))[0]], ctx)
        if tag == "div" and cls & set(VERSION_NOTES):
            return self.version_note(n, VERSION_NOTES[sorted(cls & set(VERSION_NOTES))[0]], ctx)
        if tag in ("ul", "ol"):
            return self.list_block(n, ctx, "")
        if tag == "dl":
            return self.dl_block(n, ctx, "")
        if tag == "table":
            return self.table(n, ctx)
        if tag == "blockquote":
            inner = self.blocks(n, ctx)
            if all(b[:1] in "*#" for b in inner):
                return inner
            return ["<blockquote>\n" + "\n\n".join(inner) + "\n</blockquote>"] if inner else []
        if tag == "img":
            img = self.image(n)
            return [img] if img else []
        if tag in ("figure",) or "figure" in cls:
            img = next(n.find_all(lambda x: x.tag == "img"), None)
            cap = next(n.find_all(lambda x: x.tag == "figcaption" or "caption" in x.classes), None)
            if img is None:
                return self.blocks(n, ctx)
            name = posixpath.basename(img.attrs.get("src") or "")
            self.images.append(name)
            caption = self.inline(cap, dict(ctx, pipe=True)).strip() if cap is not None else ""
            return ["[[File:%s|thumb%s]]" % (name, "|" + caption if caption else "")]
        return self.blocks(n, ctx)

    def code_block(self, n, cls):
        lang_key = next((c[len("highlight-"):] for c in sorted(cls) if c.startswith("highlight-")), "default")
        pre = next(n.find_all(lambda x: x.tag == "pre"), None) if n.tag != "pre" else n
        if pre is None:
            return []
        code = pre.text().strip("\n")
        if not code.strip():
            return []
        lang = LANGS.get(lang_key)
        if lang is None:
            return ["<pre>\n%s\n</pre>" % code.replace("</pre>", "&lt;/pre>")]
        return ['<syntaxhighlight lang="%s">\n%s\n</syntaxhighlight>' % (lang, code)]

    def admonition(self, n, name, ctx):
        body = Node("div", {}, None)
        body.children = [c for c in n.children if not (isinstance(c, Node) and "admonition-title" in c.classes)]
        has_table = any(True for _ in body.find_all(lambda x: x.tag == "table"))
        if has_table or ctx.get("pipe"):
            inner = self.blocks(body, ctx)
            return ["'''%s:'''" % name] + inner
        inner = self.blocks(body, dict(ctx, pipe=True))
        if not inner:
            return []
        text = "\n\n".join(inner)
        if text[:1] in "*#:;" or text.startswith(("{|", "<syntaxhighlight", "<pre")):
            text = "\n" + text                       # a list or table must start a line
        return ["{{%s|1=%s}}" % (name, text)]

    def version_note(self, n, name, ctx):
        out = []
        for p in n.children:
            if not isinstance(p, Node):
                continue
            if p.tag != "p":
                out.extend(self.block(p, ctx))
                continue
            span = next(p.find_all(lambda x: "versionmodified" in x.classes), None)
            version = ""
            if span is not None:
                m = re.search(r"version (\d+(?:\.\d+)*)(?:, will be removed in version (\d+(?:\.\d+)*))?", span.text())
                if m:
                    version = m.group(1) + ("|removed=" + m.group(2) if m.group(2) else "")
                span.children = []
            rest = self.inline(p, ctx).strip()
            out.append(self.para(("{{%s|%s}} %s" % (name, version, rest)).strip()))
        return out

    def list_block(self, n, ctx, prefix):
        mark = prefix + ("#" if n.tag == "ol" else "*")
        out = []
        for li in n.children:
            if not isinstance(li, Node) or li.tag != "li":
                continue
            texts, after, run = [], [], Node("span", {}, None)
            for c in li.children:
                if isinstance(c, str) or c.tag in INLINE_TAGS:
                    run.children.append(c)
                elif c.tag in ("ul", "ol"):
                    after.extend(self.list_block(c, ctx, mark))
                elif c.tag == "dl":
                    after.extend(self.dl_block(c, ctx, mark))
                elif c.tag == "p":
                    texts.append(self.inline(c, ctx).strip())
                else:
                    after.extend(self.block(c, ctx))
            texts.insert(0, self.inline(run, ctx).strip())
            line = mark + " " + " ".join(t for t in texts if t)
            out.append(line.rstrip())
            out.extend(after)
        return ["\n".join(out)] if out else []

    def dl_block(self, n, ctx, prefix):
        out = []
        api = bool(n.classes & {"py", "c", "cpp", "std"}) and "simple" not in n.classes and "field-list" not in n.classes
        for c in n.children:
            if not isinstance(c, Node):
                continue
            if c.tag == "dt":
                if api:
                    anchor = c.attrs.get("id")
                    sig = _WS.sub(" ", "".join(x if isinstance(x, str) else x.text()
                                               for x in c.children
                                               if not (isinstance(x, Node) and x.classes & SKIP_CLASSES))).strip()
                    sig = sig.replace("&", "&amp;").replace("<", "&lt;")
                    if _RISKY.search(sig) or "|" in sig:
                        sig = "<nowiki>" + sig + "</nowiki>"
                    head = ("{{anchor|%s}}" % anchor if anchor else "") + "<code>%s</code>" % sig
                else:
                    head = self.inline(c, ctx).strip()
                out.append(prefix + "; " + head)
            elif c.tag == "dd":
                for b in self.blocks(c, ctx):
                    if b.startswith(("<syntaxhighlight", "<pre", "{|", "{{", "'''", "<blockquote")):
                        out.append(b)                       # blocks a ':' line cannot hold
                    elif b[:1] in "*#;:":
                        out.append("\n".join(prefix + ":" + line for line in b.split("\n")))
                    else:
                        out.append(prefix + ": " + b.replace("\n", " "))
        return ["\n".join(out)] if out else []

    def table(self, n, ctx):
        rows = list(n.find_all(lambda x: x.tag == "tr"))
        if not rows:
            return []
        cell_ctx = dict(ctx, pipe=True)
        lines = ['{| class="wikitable"']
        cap = next(n.find_all(lambda x: x.tag == "caption"), None)
        if cap is not None:
            lines.append("|+ " + self.inline(cap, cell_ctx).strip())
        for i, tr in enumerate(rows):
            if i:
                lines.append("|-")
            cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]
            parts = []
            for c in cells:
                text = " ".join(b.replace("\n", " ") for b in self.blocks(c, cell_ctx)) or " "
                span = c.attrs.get("colspan")
                attr = 'colspan="%s" | ' % span if span and span != "1" else ""
                parts.append((c.tag, attr + text))
            if parts and all(t == "th" for t, _ in parts):
                lines.append("! " + " !! ".join(p for _, p in parts))
            else:
                for t, p in parts:
                    lines.append(("! " if t == "th" else "| ") + p)
        lines.append("|}")
        return ["\n".join(lines)]

    # -- page ------------------------------------------------------------------
    def convert(self, root):
        body = next(root.find_all(lambda x: x.tag == "div" and "body" in x.classes), None)
        if body is None:
            raise ValueError("%s: no <div class=\"body\">" % self.page)
        for aside in body.find_all(lambda x: x.tag == "aside" and "footnote" in x.classes and x.attrs.get("id")):
            note = Node("div", {}, None)
            note.children = [c for c in aside.children if not (isinstance(c, Node) and "label" in c.classes)]
            self.footnotes[aside.attrs["id"]] = note
        ctx = {}
        infobox = self.infobox(body)
        blocks = self.blocks(body, ctx)
        parts = ([infobox] if infobox else []) + blocks
        if self.has_refs:
            parts.append("== References ==\n{{Reflist}}")
        section = self.page.split("/")[0] if "/" in self.page else ""
        cats = ["[[Category:%s]]" % CATEGORIES[section]] if section in CATEGORIES else []
        cats.append("[[Category:Python 3.11 documentation]]")
        parts.append("\n".join(cats))
        return "\n\n".join(parts) + "\n"

    def infobox(self, body):
        """The "Source code: Lib/…" paragraph of a module page becomes an infobox (and is removed)."""
        p = next(body.find_all(lambda x: x.tag == "p"), None)
        if p is None or not p.text().strip().startswith("Source code:"):
            return ""
        link = next(p.find_all(lambda x: x.tag == "a"), None)
        p.parent.children.remove(p)
        h1 = next(body.find_all(lambda x: x.tag == "h1"), None)
        name = _WS.sub(" ", h1.text()).replace("\u00b6", "").split(" \u2014 ")[0].strip() if h1 is not None else ""
        source = ("[%s %s]" % (link.attrs.get("href"), link.text().strip())) if link is not None else ""
        return ("{{Infobox Python module\n| name = %s\n| source = %s\n| version = 3.11\n}}"
                % (name.replace("|", "{{!}}"), source))


INLINE_TAGS = {"a", "abbr", "b", "br", "cite", "code", "dfn", "em", "i", "kbd", "samp", "small", "span",
               "strong", "sub", "sup", "tt", "u", "var"}


def html_to_wikitext(html, page, titles):
    """Return (title, wikitext) for one page; titles maps page paths to wiki titles."""
    root, title = parse(html)
    conv = Converter(page, titles)
    return wiki_title(title), conv.convert(root)


if __name__ == "__main__":
    # pydoc_html_to_wikitext.py HTML_ROOT PAGE: print one page's wikitext
    import os
    import sys
    from build_wiki_samples import pydoc_titles
    root_dir, page = sys.argv[1], sys.argv[2]
    with open(os.path.join(root_dir, page), encoding="utf-8") as f:
        title, text = html_to_wikitext(f.read(), page, pydoc_titles(root_dir))
    sys.stdout.write("= %s =\n%s" % (title, text))
