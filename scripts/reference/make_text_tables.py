#!/usr/bin/env python3
"""Write the character tables and spaCy rule data that GristFilter's word splitter needs.

    python3 scripts/reference/make_text_tables.py           # (re)write the Swift file
    python3 scripts/reference/make_text_tables.py --check   # compare with the committed file

datatrove 0.10.1 counts words with spaCy's blank English tokenizer and sentences with spaCy's
sentencizer, and judges characters with Python's `str` methods (`isspace`, `isalpha`, `re`'s `\\w`
and `\\d`). To make the same decisions, GristFilter uses the same character sets, taken here from
the reference tools themselves (Python 3.11's Unicode database, spaCy 3.8.18's `char_classes`,
rule lists and tokenizer exceptions, datatrove's punctuation sets) and written to
Sources/GristFilter/Text/ReferenceTables+Generated.swift. The script also checks that spaCy's
prefix, suffix and infix rules still have the shape the hand-written Swift matchers implement.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "toolenv"))
from toolenv import REPO, ensure  # noqa: E402

ensure(["datatrove", "spacy", "regex", "zstandard"], "scripts/reference/requirements.txt")

import spacy  # noqa: E402
from spacy.lang import char_classes as cc  # noqa: E402
from spacy.lang.en.punctuation import TOKENIZER_INFIXES  # noqa: E402
from spacy.lang.punctuation import TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES  # noqa: E402
from spacy.pipeline.sentencizer import Sentencizer  # noqa: E402
from spacy.tokenizer import Tokenizer  # noqa: E402
from datatrove.utils.text import PUNCTUATION_SET, TERMINAL_PUNCTUATION  # noqa: E402

OUT = os.path.join(REPO, "Sources", "GristFilter", "Text", "ReferenceTables+Generated.swift")

ALL = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)


def ranges_of(pred) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for ch in ALL:
        if pred(ch):
            c = ord(ch)
            if out and out[-1][1] == c - 1:
                out[-1] = (out[-1][0], c)
            else:
                out.append((c, c))
    return out


def class_ranges(body: str) -> list[tuple[int, int]]:
    """Code points matched by the regex character class `[body]`."""
    pattern = re.compile("[" + body + "]")
    hits = [m.start() for m in pattern.finditer(ALL)]
    out: list[tuple[int, int]] = []
    for i in hits:
        c = ord(ALL[i])
        if out and out[-1][1] == c - 1:
            out[-1] = (out[-1][0], c)
        else:
            out.append((c, c))
    return out


def unescape(piece: str) -> str:
    """A rule that is a plain string written with regex escapes (`\\!`), as the string it matches."""
    if re.search(r"(?<!\\)[.^$*+?{}\[\]|()]", piece):
        raise SystemExit(f"not a literal: {piece!r}")
    literal = re.sub(r"\\(.)", r"\1", piece)
    assert re.fullmatch(piece, literal), piece
    return literal


def swift_string(s: str) -> str:
    out = []
    for ch in s:
        c = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif 0x20 <= c < 0x7F:
            out.append(ch)
        else:
            out.append("\\u{%X}" % c)
    return '"' + "".join(out) + '"'


# -- the rule lists, checked against the shapes the Swift matchers implement -------------------

LIST_PUNCT = [unescape(p) for p in cc.LIST_PUNCT]
LIST_QUOTES = [unescape(p) for p in cc.LIST_QUOTES if p.strip()]
LIST_CURRENCY = [unescape(p) for p in cc.LIST_CURRENCY]
LIST_UNITS = [unescape(p) for p in cc.LIST_UNITS]
LIST_HYPHENS = [unescape(p) for p in cc.LIST_HYPHENS]
ICONS = "[" + cc._other_symbols + "]"
DOTS = r"\.\.+"
assert cc.LIST_ELLIPSES == [DOTS, "…"]
assert cc.LIST_ICONS == [ICONS]

# Prefixes: alternatives tried in order at the start of the string; the first that matches wins.
expected_prefixes = (["§", "%", "=", "—", "–", r"\+(?![0-9])"] + cc.LIST_PUNCT + cc.LIST_ELLIPSES
                     + cc.LIST_QUOTES + cc.LIST_CURRENCY + cc.LIST_ICONS)
assert list(TOKENIZER_PREFIXES) == expected_prefixes, "spaCy's prefixes changed shape"
prefix_rules: list[tuple[str, str]] = []  # (kind, literal)
for piece in TOKENIZER_PREFIXES:
    if not piece.strip():
        continue
    if piece == r"\+(?![0-9])":
        prefix_rules.append(("plusNotBeforeDigit", ""))
    elif piece == DOTS:
        prefix_rules.append(("dots", ""))
    elif piece == ICONS:
        prefix_rules.append(("icon", ""))
    else:
        prefix_rules.append(("literal", unescape(piece)))

# Suffixes: every alternative ends in `$`, so the search finds the leftmost start from which some
# alternative matches to the end.
suffix_tail = [
    r"(?<=[0-9])\+",
    r"(?<=°[FfCcKk])\.",
    r"(?<=[0-9])(?:{c})".format(c=cc.CURRENCY),
    r"(?<=[0-9])(?:{u})".format(u=cc.UNITS),
    r"(?<=[0-9{al}{e}{p}(?:{q})])\.".format(al=cc.ALPHA_LOWER, e=r"%²\-\+", q=cc.CONCAT_QUOTES, p=cc.PUNCT),
    r"(?<=[{au}][{au}])\.".format(au=cc.ALPHA_UPPER),
]
expected_suffixes = (cc.LIST_PUNCT + cc.LIST_ELLIPSES + cc.LIST_QUOTES + cc.LIST_ICONS
                     + ["'s", "'S", "’s", "’S", "—", "–"] + suffix_tail)
assert list(TOKENIZER_SUFFIXES) == expected_suffixes, "spaCy's suffixes changed shape"
suffix_literals = []
for piece in cc.LIST_PUNCT + cc.LIST_QUOTES + ["'s", "'S", "’s", "’S", "—", "–"]:
    if piece.strip():
        suffix_literals.append(unescape(piece))
suffix_dot_before = "0-9" + cc.ALPHA_LOWER + r"%²\-\+" + cc.PUNCT + "(?:" + cc.CONCAT_QUOTES + ")"

# Infixes (English): tried in order at each position, left to right, without overlaps.
expected_infixes = cc.LIST_ELLIPSES + cc.LIST_ICONS + [
    r"(?<=[0-9])[+\-\*^](?=[0-9-])",
    r"(?<=[{al}{q}])\.(?=[{au}{q}])".format(al=cc.ALPHA_LOWER, au=cc.ALPHA_UPPER, q=cc.CONCAT_QUOTES),
    r"(?<=[{a}]),(?=[{a}])".format(a=cc.ALPHA),
    r"(?<=[{a}0-9])(?:{h})(?=[{a}])".format(a=cc.ALPHA, h=cc.HYPHENS),
    r"(?<=[{a}0-9])[:<>=/](?=[{a}])".format(a=cc.ALPHA),
]
assert list(TOKENIZER_INFIXES) == expected_infixes, "spaCy's English infixes changed shape"

nlp = spacy.blank("en")
assert nlp.tokenizer.token_match is None
assert nlp.tokenizer.faster_heuristics

# -- tokenizer exceptions ------------------------------------------------------------------------

rules = nlp.tokenizer.rules
bare = Tokenizer(nlp.vocab, rules={}, prefix_search=nlp.tokenizer.prefix_search,
                 suffix_search=nlp.tokenizer.suffix_search, infix_finditer=nlp.tokenizer.infix_finditer,
                 token_match=None, url_match=nlp.tokenizer.url_match)
exceptions = []
for key in sorted(rules):
    orths = [spec[65] if 65 in spec else spec["ORTH"] for spec in rules[key]]
    assert "".join(orths) == key
    in_matcher = bool(nlp.tokenizer.find_prefix(key) or nlp.tokenizer.find_infix(key)
                      or nlp.tokenizer.find_suffix(key) or " " in key)
    pattern = [t.text for t in bare(key)] if in_matcher else []
    for part in orths + pattern:
        assert "\x01" not in part and "\x02" not in part and "\x03" not in part
    exceptions.append((key, orths, pattern))

# Python's str.lower() maps only these non-ASCII characters to something with an ASCII letter.
lower_to_ascii = [c for c in ALL if ord(c) >= 0x80 and re.search("[a-z]", c.lower())]
assert [ord(c) for c in lower_to_ascii] == [0x130, 0x212A], [hex(ord(c)) for c in lower_to_ascii]

# -- write ---------------------------------------------------------------------------------------

sets = [
    ("pythonSpace", "Python's `str.isspace()`", ranges_of(str.isspace)),
    ("pythonAlpha", "Python's `str.isalpha()` (categories Lu, Ll, Lt, Lm, Lo)", ranges_of(str.isalpha)),
    ("pythonWord", "Python `re`'s `\\w` on `str`", class_ranges(r"\w")),
    ("pythonDecimal", "Python `re`'s `\\d` on `str` (category Nd)", class_ranges(r"\d")),
    ("unicodePunctuation", "`unicodedata.category(c)` starts with `P` (spaCy's `is_punct`)",
     ranges_of(lambda c: unicodedata.category(c).startswith("P"))),
    ("spacyAlpha", "spaCy's `ALPHA`", class_ranges(cc.ALPHA)),
    ("spacyAlphaLower", "spaCy's `ALPHA_LOWER`", class_ranges(cc.ALPHA_LOWER)),
    ("spacyAlphaUpper", "spaCy's `ALPHA_UPPER`", class_ranges(cc.ALPHA_UPPER)),
    ("spacyQuotes", "spaCy's `CONCAT_QUOTES`", class_ranges(cc.CONCAT_QUOTES)),
    ("spacyIcons", "spaCy's `LIST_ICONS` (symbols and emoji)", class_ranges(cc._other_symbols)),
    ("spacySuffixBeforeDot", "what may precede a `.` suffix: `[0-9{al}{e}{p}(?:{q})]`",
     class_ranges(suffix_dot_before)),
    ("spacyInfixBeforeDot", "what may precede a `.` infix: `[{al}{q}]`",
     class_ranges(cc.ALPHA_LOWER + cc.CONCAT_QUOTES)),
    ("spacyInfixAfterDot", "what may follow a `.` infix: `[{au}{q}]`",
     class_ranges(cc.ALPHA_UPPER + cc.CONCAT_QUOTES)),
    ("datatrovePunctuation", "datatrove's `PUNCTUATION_SET`", ranges_of(lambda c: c in PUNCTUATION_SET)),
    ("datatroveTerminalPunctuation", "datatrove's `TERMINAL_PUNCTUATION`",
     ranges_of(lambda c: c in TERMINAL_PUNCTUATION)),
    ("sentencizerPunctuation", "spaCy's `Sentencizer.default_punct_chars`",
     ranges_of(lambda c: c in set(Sentencizer.default_punct_chars))),
]
assert all(len(p) == 1 for p in PUNCTUATION_SET) and all(len(p) == 1 for p in TERMINAL_PUNCTUATION)
assert all(len(p) == 1 for p in Sentencizer.default_punct_chars)


def emit() -> str:
    lines = [
        "// Generated by scripts/reference/make_text_tables.py from Python "
        f"{sys.version_info.major}.{sys.version_info.minor} (Unicode {unicodedata.unidata_version}), "
        f"spaCy {spacy.__version__} and datatrove 0.10.1. Do not edit.",
        "// spaCy's rule data and tokenizer exceptions: MIT licence, (c) ExplosionAI GmbH.",
        "",
        "/// The character sets and rule data of the reference tools, as ranges of code points.",
        "enum ReferenceTables {",
    ]
    for name, doc, ranges in sets:
        flat = []
        for lo, hi in ranges:
            flat.append("0x%X, 0x%X" % (lo, hi))
        lines.append(f"    /// {doc}: {len(ranges)} ranges.")
        lines.append(f"    static let {name}: [UInt32] = [")
        for i in range(0, len(flat), 6):
            lines.append("        " + ", ".join(flat[i:i + 6]) + ",")
        lines.append("    ]")
    lines.append("")
    lines.append("    /// spaCy's prefix rules in order: `(kind, literal)`.")
    lines.append("    static let prefixRules: [(String, String)] = [")
    for kind, lit in prefix_rules:
        lines.append(f"        ({swift_string(kind)}, {swift_string(lit)}),")
    lines.append("    ]")
    for name, values, doc in [
        ("suffixLiterals", suffix_literals, "Suffixes matched as plain strings (punctuation, quotes, `'s`, dashes)."),
        ("currencies", LIST_CURRENCY, "`LIST_CURRENCY`: suffixes after a digit, and prefixes."),
        ("units", LIST_UNITS, "`LIST_UNITS`: suffixes after a digit."),
        ("hyphens", LIST_HYPHENS, "`HYPHENS`, in the order the infix alternation tries them."),
    ]:
        lines.append(f"    /// {doc}")
        lines.append(f"    static let {name}: [String] = [")
        for i in range(0, len(values), 8):
            lines.append("        " + ", ".join(swift_string(v) for v in values[i:i + 8]) + ",")
        lines.append("    ]")
    lines.append("")
    lines.append(f"    /// spaCy's English tokenizer exceptions ({len(exceptions)}): records separated by U+0002,")
    lines.append("    /// fields by U+0001 (key, its tokens, the matcher pattern), tokens by U+0003.")
    lines.append("    static let exceptions: String = \"\"\"")
    for key, orths, pattern in exceptions:
        record = key + "\x01" + "\x03".join(orths) + "\x01" + "\x03".join(pattern) + "\x02"
        lines.append(swift_string(record)[1:-1] + "\\")
    lines[-1] = lines[-1][:-1]
    lines.append("\"\"\"")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    text = emit()
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                raise SystemExit(f"{OUT} differs from what the reference tools give; rerun without --check")
        print("tables match")
        return
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {OUT} ({len(text):,} bytes, {len(exceptions)} exceptions)")


main()
