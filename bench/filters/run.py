#!/usr/bin/env python3
"""Side-by-side benchmark and agreement check: GristFilter's quality filters against datatrove 0.10.1's.

    python3 bench/filters/run.py [--limit N] [--out DIR]      (make bench-filters)

Documents: scripts/reference/corpus.py's filter_documents(), 24,086 real documents (the shipped
corpora cut at blank lines into pieces of 60 to 1,920+ characters), written to OUT/docs.jsonl;
with `--documents whole`, the 659 shipped documents as they are (whole plays, pages, books).
For each filter with default settings, alone, on one core:
  - datatrove: the filter's `filter()` over every document, in this process; CPU time from
    time.process_time() around the loop (loading and the documents' creation excluded);
  - grist: `grist filter --config <only that filter> OUT/docs.jsonl` (release build), CPU time
    (user + system) of the whole process from wait4(), and the rules' own CPU time that
    `--summary` reports (the median of three runs: one run takes under a second, too short to time
    once on a shared machine); peak memory (max RSS) of the process.
Then every document's decision is compared (keep, or the drop reason in GristFilter's words) and
the table is printed with the disagreements. CPU times, not wall time: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts", "reference"))
sys.path.insert(0, os.path.join(REPO, "scripts", "toolenv"))
import toolenv  # noqa: E402

toolenv.ensure(["datatrove", "spacy", "regex", "zstandard"], "scripts/reference/requirements.txt")

from corpus import filter_documents, shipped_documents  # noqa: E402
from datatrove_filters import FILTERS, decide  # noqa: E402

GRIST = toolenv.grist_path()


def run_grist(kind: str | list[str], docs_path: str, out_dir: str, runs: int = 3) -> tuple[list[str], float, float, int]:
    """`grist filter` with the given filters, `runs` times: the decisions (the same every run) and the
    median process and rules CPU seconds (a run takes well under a second, so one is noisy here)."""
    results = [run_grist_once(kind, docs_path, out_dir) for _ in range(runs)]
    if any(r[0] != results[0][0] for r in results):
        raise SystemExit(f"grist filter gave different decisions from run to run ({kind})")
    median = lambda values: sorted(values)[len(values) // 2]  # noqa: E731
    return (results[0][0], median([r[1] for r in results]), median([r[2] for r in results]),
            max(r[3] for r in results))


def run_grist_once(kind: str | list[str], docs_path: str, out_dir: str) -> tuple[list[str], float, float, int]:
    kinds = [kind] if isinstance(kind, str) else kind
    config = os.path.join(out_dir, "bench-" + "-".join(kinds) + ".yaml")
    with open(config, "w") as f:
        f.write("version: 1\nname: bench\nclean: []\nfilters:\n" + "".join(f"  - {k}: {{}}\n" for k in kinds))
    out_path = os.path.join(out_dir, "grist-" + "-".join(kinds) + ".jsonl")
    with open(out_path, "wb") as out, open(os.path.join(out_dir, "grist.stderr"), "wb") as err:
        proc = subprocess.Popen(["/usr/bin/time", "-f", "maxrss %M", GRIST, "filter", "--config", config, docs_path, "--summary"], stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"grist filter failed: {open(os.path.join(out_dir, 'grist.stderr')).read()}")
    summary = open(os.path.join(out_dir, "grist.stderr")).read()
    rules = float(re.search(r"rules: ([0-9.]+) CPU-s", summary).group(1))
    decisions = []
    with open(out_path) as f:
        for line in f:
            record = json.loads(line)
            decisions.append("keep" if record["keep"] else record["reason"].split(":", 1)[1])
    # ru_maxrss from wait4 also counts the forked Python before exec; /usr/bin/time reads the exec image.
    rss = int(re.search(r"maxrss ([0-9]+)", summary).group(1)) * 1024 if "maxrss" in summary else 0
    return decisions, usage.ru_utime + usage.ru_stime, rules, rss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0, help="use only the first N documents")
    parser.add_argument("--out", default=os.path.join(REPO, "out", "bench-filters"))
    parser.add_argument("--documents", choices=["cut", "whole"], default="cut",
                        help="cut: 24,086 pieces of the corpora (default); whole: the 659 shipped documents "
                             "as they are (whole plays and pages, 32 KB on average)")
    args = parser.parse_args()
    toolenv.grist_binary()  # built if missing (make bench-filters builds it first)
    os.makedirs(args.out, exist_ok=True)
    docs = filter_documents() if args.documents == "cut" else shipped_documents()
    if args.limit:
        docs = docs[: args.limit]
    docs_path = os.path.join(args.out, "docs.jsonl")
    with open(docs_path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n")
    chars = sum(len(d["text"]) for d in docs)
    size = os.path.getsize(docs_path)
    print(f"{len(docs):,} documents, {chars:,} characters, {size / 1e6:.1f} MB of JSON Lines ({docs_path})")
    print()

    rows = []
    total_dt = 0.0
    all_disagreements = []
    for kind in FILTERS:
        theirs, dt_seconds = decide(kind, docs)
        # datatrove's C4 rewrites kept documents; compare keep/drop and reasons.
        theirs = ["keep" if t.startswith("keep") else t for t in theirs]
        ours, grist_seconds, rule_seconds, rss = run_grist(kind, docs_path, args.out)
        assert len(ours) == len(theirs), (kind, len(ours), len(theirs))
        disagreements = [(docs[i]["id"], theirs[i], ours[i]) for i in range(len(docs)) if theirs[i] != ours[i]]
        all_disagreements += [(kind,) + d for d in disagreements]
        total_dt += dt_seconds
        rows.append((kind, len(docs) - len(disagreements), dt_seconds, grist_seconds, rule_seconds, rss))

    header = ("filter", "agree", "datatrove CPU-s", "grist CPU-s", "ratio", "grist rules CPU-s", "ratio", "grist max RSS")
    print("%-18s %16s %16s %12s %8s %18s %8s %14s" % header)
    for kind, agree, dt, gs, rs, rss in rows:
        print("%-18s %7d (%5.1f%%) %16.2f %12.3f %7.0fx %18.3f %7.0fx %11.1f MB"
              % (kind, agree, 100.0 * agree / len(docs), dt, gs, dt / gs, rs, dt / max(rs, 1e-9), rss / 1e6))
    gs_sum = sum(r[3] for r in rows)
    rs_sum = sum(r[4] for r in rows)
    print("%-18s %16s %16.2f %12.3f %7.0fx %18.3f %7.0fx"
          % ("sum of the four", "", total_dt, gs_sum, total_dt / gs_sum, rs_sum, total_dt / max(rs_sum, 1e-9)))
    print()
    print("datatrove: each filter alone over all documents, in-process; grist: `grist filter` with that filter")
    print("alone, the whole process (reading JSON Lines, writing decisions) and the rules alone. One core each;")
    print("CPU seconds (user + system); ratio = datatrove / grist.")
    print()
    if all_disagreements:
        print(f"{len(all_disagreements)} disagreements:")
        for kind, doc_id, theirs, ours in all_disagreements[:50]:
            print(f"  {kind}: {doc_id}: datatrove {theirs}, grist {ours}")
    else:
        print("no disagreements")


main()
