#!/usr/bin/env python3
"""HTML main-text extraction: `grist collect --format html` against trafilatura, side by side.

Usage: html_quality.py GRIST PAGES_LIST [--out RESULTS.json]

PAGES_LIST holds one HTML file path per line. For every page, trafilatura's text
(`trafilatura.extract(html, output_format="txt")`, its defaults: tables and comments included)
is the reference; ours is what `grist collect --format html` writes for the same file.

Agreement is token-level F1: both texts are cut into word tokens (`\\w+`, Unicode, lowercased),
and precision/recall are computed on the multisets of tokens (so layout and punctuation do not
count). Pages where trafilatura finds no main text (returns None) are counted and left out of
the mean. Speed: CPU time of our process (all pages in one run, process start included) against
the CPU time of trafilatura's extract() calls in this process (file reading excluded for both
is not possible for ours, so ours is the pessimistic figure).
"""
import collections
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time

TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text):
    return collections.Counter(t.lower() for t in TOKEN.findall(text or ""))


def f1(ours, reference):
    a, b = tokens(ours), tokens(reference)
    if not a and not b:
        return 1.0
    common = sum((a & b).values())
    if common == 0:
        return 0.0
    precision = common / sum(a.values())
    recall = common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def run_grist(grist, pages):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    proc = subprocess.run([grist, "collect", "--format", "html", *pages], capture_output=True, check=True)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    texts = {}
    for line in proc.stdout.decode("utf-8").splitlines():
        record = json.loads(line)
        texts[record["id"]] = record["text"]
    return texts, cpu, wall


def run_trafilatura(pages):
    import trafilatura

    texts = {}
    cpu = 0.0
    wall = 0.0
    for page in pages:
        with open(page, "rb") as f:
            html = f.read()
        c0, w0 = time.process_time(), time.perf_counter()
        texts[page] = trafilatura.extract(html, output_format="txt")
        cpu += time.process_time() - c0
        wall += time.perf_counter() - w0
    return texts, cpu, wall


def main():
    grist, listing = sys.argv[1], sys.argv[2]
    out = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else None
    with open(listing) as f:
        pages = [line.strip() for line in f if line.strip()]
    ours, our_cpu, our_wall = run_grist(grist, pages)
    reference, ref_cpu, ref_wall = run_trafilatura(pages)
    scores = {}
    no_reference = []
    for page in pages:
        if reference[page] is None:
            no_reference.append(page)
            continue
        scores[page] = f1(ours.get(page, ""), reference[page])
    groups = collections.defaultdict(list)
    for page, score in scores.items():
        groups[page.split("/usr/share/doc/")[-1].split("/")[0]].append(score)
    mean = statistics.mean(scores.values())
    size = sum(os.path.getsize(p) for p in pages)
    result = {
        "pages": len(pages),
        "compared": len(scores),
        "trafilatura_found_nothing": len(no_reference),
        "mean_f1": round(mean, 4),
        "median_f1": round(statistics.median(scores.values()), 4),
        "pages_f1_below_0.5": sum(1 for s in scores.values() if s < 0.5),
        "mean_f1_by_package": {k: round(statistics.mean(v), 4) for k, v in sorted(groups.items())},
        "pages_by_package": {k: len(v) for k, v in sorted(groups.items())},
        "html_bytes": size,
        "grist_cpu_s": round(our_cpu, 3),
        "grist_wall_s": round(our_wall, 3),
        "trafilatura_cpu_s": round(ref_cpu, 3),
        "trafilatura_wall_s": round(ref_wall, 3),
        "speedup_cpu": round(ref_cpu / max(our_cpu, 1e-9), 1),
        "worst": sorted(((round(s, 3), p) for p, s in scores.items()))[:8],
    }
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if out:
        with open(out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
