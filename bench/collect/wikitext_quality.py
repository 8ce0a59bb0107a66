#!/usr/bin/env python3
"""Wikitext to plain text: `grist collect --format mediawiki` against mwparserfromhell's strip_code().

Usage: wikitext_quality.py GRIST DUMP.xml.bz2

The dump is read with the standard library's XML parser for the reference (every page of
namespace 0 that is not a redirect, last revision); mwparserfromhell.parse(text).strip_code()
(normalize, collapse; its defaults) is the reference text. Agreement is token-level F1 over
`\\w+` tokens, lowercased, per page; CPU times are reported side by side.
"""
import bz2
import collections
import json
import re
import resource
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text):
    return collections.Counter(t.lower() for t in TOKEN.findall(text or ""))


def f1(a_text, b_text):
    a, b = tokens(a_text), tokens(b_text)
    if not a and not b:
        return 1.0
    common = sum((a & b).values())
    if not common:
        return 0.0
    p, r = common / sum(a.values()), common / sum(b.values())
    return 2 * p * r / (p + r)


def main():
    grist, dump = sys.argv[1], sys.argv[2]
    import mwparserfromhell

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([grist, "collect", "--format", "mediawiki", dump], capture_output=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    ours_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    ours = {json.loads(l)["id"]: json.loads(l)["text"] for l in proc.stdout.decode().splitlines()}

    ns = "{http://www.mediawiki.org/xml/export-0.10/}"
    root = ET.fromstring(bz2.decompress(open(dump, "rb").read()) if dump.endswith(".bz2") else open(dump, "rb").read())
    reference = {}
    cpu = 0.0
    for page in root.iter(ns + "page"):
        if page.find(ns + "ns").text != "0" or page.find(ns + "redirect") is not None:
            continue
        text = page.findall(ns + "revision")[-1].find(ns + "text").text or ""
        c0 = time.process_time()
        reference[page.find(ns + "id").text] = mwparserfromhell.parse(text).strip_code()
        cpu += time.process_time() - c0
    scores = [f1(ours.get(pid, ""), ref) for pid, ref in reference.items()]
    result = {
        "pages": len(reference),
        "pages_in_grist_output": sum(1 for p in reference if p in ours),
        "mean_f1": round(statistics.mean(scores), 4),
        "median_f1": round(statistics.median(scores), 4),
        "min_f1": round(min(scores), 4),
        "grist_cpu_s_whole_run": round(ours_cpu, 3),
        "mwparserfromhell_cpu_s_strip_code_only": round(cpu, 3),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
