#!/usr/bin/env python3
"""Build the language identifier's model and its held-out evaluation set from real text.

    corpora/scripts/build_langid.py            # download the pinned Debian packages, rebuild
    corpora/scripts/build_langid.py --check    # rebuild in memory, compare with the committed files

Text: the Debian Installation Guide (package installation-guide-amd64, GPL-2+; the same manual in
19 languages: ca cs da de el en es fr id it ja ko nl pt ro ru sv vi zh) and the translated manual
pages of three more languages (manpages-pl, manpages-uk from manpages-l10n, GPL-3+; manpages-tr,
GPL-2+): 22 languages of real, human-written prose. Each HTML page or man page is one document;
a document goes to the held-out set when the SHA-256 of its name says so (1 in 4), otherwise to
training, so no text of the evaluation set is seen in training. Paragraphs left untranslated (in
English inside another language's manual) are left out of both.

Model (a naive Bayes classifier over character n-grams, the classic approach of Cavnar & Trenkle
1994 and of langid.py): text is lowercased character by character (Python's `str.lower()`), runs
of letters (`str.isalpha()`) are words, and every word padded with a space on each side gives its
1- to 3-grams. Per language, the `KEEP` most frequent n-grams of the training text keep their
add-one smoothed log-probability; any other n-gram gets the language's floor. Written to
Sources/GristFilter/LanguageID/LanguageModel+Generated.swift (log-probabilities in hundredths).

Held-out set: corpora/langid/heldout.jsonl, {"lang", "text"} lines: up to PER_LANGUAGE paragraphs
(80 to 400 characters) per language from the held-out documents. GristFilterTests measures the
accuracy per language on it.

Stdlib only; needs `apt-get download` and `dpkg-deb` (Debian 12). Deterministic.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MODEL = os.path.join(REPO, "Sources", "GristFilter", "LanguageID", "LanguageModel+Generated.swift")
HELDOUT = os.path.join(REPO, "corpora", "langid", "heldout.jsonl")
LICENSES = os.path.join(REPO, "corpora", "langid", "LICENSES")

PACKAGES = {
    "installation-guide-amd64": ("20230508+deb12u1", "812c43e1dc906daf671e3efe953dc023205c238e5bd5a3021ce4ca142793573a"),
    "manpages-pl": ("1:4.18.1-1", "31e518ea8331b5204d4fd0032037f96af1ba94a5afa4f0585dca1996b270cdf9"),
    "manpages-uk": ("4.18.1-1", "7ad64b12010584a6cc10a341ba561a6774e8493166524f386bcd9fd7cbebdd5b"),
    "manpages-tr": ("2.0.6-2", "babf3ded00dd7c30db8fb333c1ff482fd5a52483d2bffec7557e3f78ed77eef1"),
}
GUIDE_LANGUAGES = {"ca": "ca", "cs": "cs", "da": "da", "de": "de", "el": "el", "en": "en", "es": "es", "fr": "fr",
                   "id": "id", "it": "it", "ja": "ja", "ko": "ko", "nl": "nl", "pt": "pt", "ro": "ro", "ru": "ru",
                   "sv": "sv", "vi": "vi", "zh_CN": "zh"}
MAN_LANGUAGES = {"pl": "pl", "uk": "uk", "tr": "tr"}
KEEP = 2500
PER_LANGUAGE = 200
MAX_TRAIN_CHARS = 600_000


def download(folder: str) -> dict[str, str]:
    paths = {}
    for name, (version, sha) in PACKAGES.items():
        subprocess.run(["apt-get", "download", f"{name}={version}"], cwd=folder, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deb = [f for f in os.listdir(folder) if f.startswith(name + "_") and f.endswith(".deb")][0]
        path = os.path.join(folder, deb)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest != sha:
            raise SystemExit(f"{deb}: sha256 {digest}, expected {sha} (bump the pin)")
        out = os.path.join(folder, name)
        subprocess.run(["dpkg-deb", "-x", path, out], check=True)
        paths[name] = out
    return paths


BLOCK = re.compile(r"<(p|li|dd|dt|td|th|h[1-6]|title|pre)\b[^>]*>(.*?)</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


def guide_documents(root: str) -> dict[str, list[tuple[str, list[str]]]]:
    base = os.path.join(root, "usr", "share", "doc", "installation-guide-amd64")
    docs: dict[str, list[tuple[str, list[str]]]] = {}
    for folder, lang in sorted(GUIDE_LANGUAGES.items()):
        for name in sorted(os.listdir(os.path.join(base, folder))):
            if not name.endswith(".html"):
                continue
            with open(os.path.join(base, folder, name), encoding="utf-8", errors="replace") as f:
                page = f.read()
            paragraphs = []
            for m in BLOCK.finditer(page):
                if m.group(1).lower() == "pre":
                    continue
                text = " ".join(html.unescape(TAG.sub(" ", m.group(2))).split())
                paragraphs.append(text)
            docs.setdefault(lang, []).append((f"installation-guide/{folder}/{name}", paragraphs))
    return docs


ROFF_ESCAPE = re.compile(r"\\f[BIRP]|\\f\(..|\\\(..|\\\*\(..|\\\*.|\\[&|^%e-]|\\s[+-]?\d|\\")


def man_documents(root: str, lang: str) -> list[tuple[str, list[str]]]:
    base = os.path.join(root, "usr", "share", "man", lang)
    docs = []
    for section in sorted(os.listdir(base)):
        for name in sorted(os.listdir(os.path.join(base, section))):
            path = os.path.join(base, section, name)
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8", errors="replace") as f:
                lines = f.read().split("\n")
            paragraphs, current = [], []
            for line in lines:
                if line.startswith((".", "'")):
                    if current and re.match(r"^\.(PP|P|LP|SH|SS|TP|IP|HP|sp|br)\b", line):
                        paragraphs.append(" ".join(current))
                        current = []
                    continue
                text = ROFF_ESCAPE.sub("", line).replace("\\-", "-").replace("\\", "")
                if text.strip():
                    current.append(text.strip())
            if current:
                paragraphs.append(" ".join(current))
            docs.append((f"man/{lang}/{section}/{name}", [" ".join(p.split()) for p in paragraphs]))
    return docs


def held_out(name: str) -> bool:
    return hashlib.sha256(name.encode()).digest()[0] % 4 == 0


def prose(p: str) -> bool:
    """A paragraph of prose: long enough, mostly letters and spaces (not a command or a table)."""
    if len(p) < 80:
        return False
    letters = sum(c.isalpha() or c.isspace() for c in p)
    return letters / len(p) > 0.85


ENGLISH = {"the", "and", "of", "to", "is", "in", "for", "that", "this", "you", "are", "with", "be", "on", "it"}


def untranslated(p: str, lang: str) -> bool:
    """Some translations of the guide and of the man pages leave paragraphs in English: a paragraph
    of another language in which English function words are more than 12% of the words is left out
    of both training and evaluation (its label would be wrong)."""
    if lang == "en":
        return False
    words = re.findall(r"[a-z]+", p.lower())
    return bool(words) and sum(w in ENGLISH for w in words) / max(len(p.split()), 1) > 0.12


def ngrams(text: str):
    lowered = "".join(c.lower() for c in text)
    word = []
    for c in lowered + " ":
        if c.isalpha():
            word.append(c)
        elif word:
            w = " " + "".join(word) + " "
            for n in (1, 2, 3):
                for i in range(len(w) - n + 1):
                    g = w[i:i + n]
                    if g != " ":
                        yield g
            word = []


def build() -> tuple[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.environ.get("GRIST_DOWNLOAD_DIR") or tmp
        roots = download(folder)
        docs = guide_documents(roots["installation-guide-amd64"])
        for lang in MAN_LANGUAGES:
            docs[lang] = man_documents(roots[f"manpages-{lang}"], lang)
        for name, root in roots.items():
            base = os.path.join(root, "usr", "share", "doc", name, "copyright")
            if os.path.exists(base):
                with open(base, encoding="utf-8") as f, \
                        open(os.path.join(LICENSES, f"{name}.copyright"), "w", encoding="utf-8") as out:
                    out.write(f.read())

    languages = sorted(docs)
    tables = {}
    heldout_lines = []
    for lang in languages:
        counts: Counter[str] = Counter()
        train_chars = 0
        evaluation = []
        for name, paragraphs in docs[lang]:
            good = [p for p in paragraphs if prose(p) and not untranslated(p, lang)]
            if held_out(name):
                evaluation += [p[:400] for p in good]
            else:
                for p in good:
                    if train_chars < MAX_TRAIN_CHARS:
                        counts.update(ngrams(p))
                        train_chars += len(p)
        # Spread the held-out paragraphs over the documents: every k-th, deterministic.
        step = max(1, len(evaluation) // PER_LANGUAGE)
        for p in evaluation[::step][:PER_LANGUAGE]:
            heldout_lines.append(json.dumps({"lang": lang, "text": p}, ensure_ascii=False))
        total = sum(counts.values())
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:KEEP]
        vocabulary = len(counts) + 1
        floor = math.log(1 / (total + vocabulary))
        tables[lang] = (floor, [(g, math.log((c + 1) / (total + vocabulary))) for g, c in top], train_chars)
        print(f"{lang}: {len(docs[lang])} documents, {train_chars:,} training characters, "
              f"{len(evaluation)} held-out paragraphs", file=sys.stderr)

    def esc(s: str) -> str:
        return "".join(c if 0x20 <= ord(c) < 0x7F and c not in '\\"' else "\\u{%X}" % ord(c) for c in s)

    out = ["// Generated by corpora/scripts/build_langid.py from the Debian Installation Guide and translated",
           "// manual pages (see corpora/README.md). Do not edit.", "",
           "extension LanguageModel {",
           f"    /// {len(languages)} languages; per language: `LANG\\tFLOOR`, then `NGRAM\\tLOGPROB` lines",
           "    /// (log-probabilities in hundredths), languages separated by empty lines.",
           '    static let data: String = """']
    for lang in languages:
        floor, top, _ = tables[lang]
        out.append(esc(f"{lang}\t{round(floor * 100)}"))
        for g, lp in top:
            out.append(esc(f"{g}\t{round(lp * 100)}"))
        out.append("")
    out.append('"""')
    out.append("}")
    return "\n".join(out) + "\n", "\n".join(heldout_lines) + "\n"


def main() -> None:
    model, heldout = build()
    if "--check" in sys.argv:
        for path, text in [(MODEL, model), (HELDOUT, heldout)]:
            with open(path, encoding="utf-8") as f:
                if f.read() != text:
                    raise SystemExit(f"{path} differs; rerun without --check")
        print("model and held-out set match")
        return
    os.makedirs(os.path.dirname(MODEL), exist_ok=True)
    os.makedirs(os.path.dirname(HELDOUT), exist_ok=True)
    with open(MODEL, "w", encoding="utf-8") as f:
        f.write(model)
    with open(HELDOUT, "w", encoding="utf-8") as f:
        f.write(heldout)
    print(f"wrote {MODEL} ({len(model):,} bytes) and {HELDOUT} ({len(heldout):,} bytes)")


main()
