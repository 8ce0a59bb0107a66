#!/usr/bin/env python3
"""make bench-pipeline: the whole chain (read, clean, four quality filters, MinHash dedup, GPT-2
tokens, shards), grist against itself at 1 and 2 workers and against datatrove 0.10.1.

    python3 bench/pipeline/run.py [--only throughput|compare|stages] [--workers 1,2] [--profile MB]

1. Corpus: bench/pipeline/make_corpus.py (once; ~1.1 GB of JSON Lines of real text, seeded).
2. Throughput: `grist build bench/pipeline/pipeline.yaml --workers N` for each N, under
   /usr/bin/time -v: wall, CPU (user + system), MB/s, MB per CPU-second, peak RSS; the shards of
   every N must be byte-identical (SHA-256). Then the same on the largest file alone, compressed into
   one .zst (several workers share one compressed file).
3. Comparison on subset.jsonl (~150 MB, the corpus's first documents), one worker each:
   `grist build bench/pipeline/compare.yaml --workers 1` against bench/pipeline/run_datatrove.py
   (same filters, MinHash parameters, GPT-2 tokenizer, shards); CPU seconds, MB per CPU-second and
   the ratio, with datatrove's stage times and grist's stages (from builds with stages switched off).
4. --profile MB: callgrind on `grist build` of the subset's first MB megabytes (stripped copy, as
   valgrind cannot read Swift's DWARF 5) and the functions with the highest inclusive cost.
Prints a results table; everything goes to out/bench-pipeline/ (results.json). CPU figures matter:
the machine is shared, so wall times depend on the load (printed before and after).
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts", "toolenv"))
import toolenv  # noqa: E402

GRIST = toolenv.grist_path()
CORPUS = os.path.join(REPO, "bench", "out", "pipeline", "corpus")
PY = sys.executable
MB = 1_000_000


def load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def timed(cmd: list[str], log: str) -> dict:
    """Runs cmd under /usr/bin/time -v; returns wall, user, sys, cpu seconds and peak RSS (MB)."""
    time_file = log + ".time"
    with open(log, "wb") as out:
        result = subprocess.run(["/usr/bin/time", "-v", "-o", time_file] + cmd, stdout=out, stderr=subprocess.STDOUT,
                                cwd=REPO)
    if result.returncode != 0:
        sys.stdout.write(open(log, errors="replace").read()[-3000:])
        raise SystemExit(f"failed ({result.returncode}): {' '.join(cmd)} (log: {log})")
    text = open(time_file).read()

    def field(name: str) -> str:
        return re.search(re.escape(name) + r": (.+)", text).group(1).strip()

    wall = 0.0
    for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
        wall = wall * 60 + float(part)
    user, system = float(field("User time (seconds)")), float(field("System time (seconds)"))
    return {"wall": wall, "user": user, "sys": system, "cpu": user + system,
            "rss_mb": int(field("Maximum resident set size (kbytes)")) / 1024}


def shard_hashes(folder: str) -> list[tuple[str, str]]:
    out = []
    for path in sorted(glob.glob(os.path.join(folder, "shards", "*.bin"))):
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(1 << 22):
                digest.update(chunk)
        out.append((os.path.basename(path), digest.hexdigest()))
    return out


def build(config: str, output: str, workers: int, log: str) -> dict:
    shutil.rmtree(output, ignore_errors=True)
    before = load()
    t = timed([GRIST, "build", config, "--output", output, "--workers", str(workers)], log)
    t["load_before"], t["load_after"] = before, load()
    t["summary"] = open(log, errors="replace").read().strip().splitlines()[-1]
    return t


def variant(base: str, path: str, replace: dict[str, str]) -> str:
    """A copy of a config with some top-level sections replaced (one line each)."""
    lines = open(base).read().splitlines()
    out, skipping = [], False
    for line in lines:
        key = line.split(":", 1)[0] if line and not line.startswith((" ", "#", "-")) else None
        if key is not None:
            skipping = key in replace
            if skipping:
                out.append(f"{key}: {replace[key]}")
                continue
        if not skipping:
            out.append(line)
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return path


def corpus_info() -> dict:
    with open(os.path.join(CORPUS, "corpus.json")) as f:
        return json.load(f)


def throughput(out: str, workers: list[int]) -> dict:
    info = corpus_info()
    mb = info["jsonl_bytes"] / MB
    disk = sum(f["bytes"] for f in info["files"]) / MB
    runs = {}
    for w in workers:
        print(f"grist build bench/pipeline/pipeline.yaml --workers {w} ({mb:.0f} MB) ...", flush=True)
        t = build("bench/pipeline/pipeline.yaml", os.path.join(out, f"build-w{w}"), w, os.path.join(out, f"build-w{w}.log"))
        t["shards"] = shard_hashes(os.path.join(out, f"build-w{w}"))
        runs[w] = t
        print(f"  {t['summary']}\n  {t['wall']:.1f} s wall, {t['cpu']:.1f} CPU-s, peak RSS {t['rss_mb']:.0f} MB, "
              f"load {t['load_before']} -> {t['load_after']}", flush=True)
    first = runs[workers[0]]["shards"]
    identical = all(r["shards"] == first for r in runs.values())
    return {"corpus_mb": mb, "corpus_disk_mb": disk, "documents": info["documents"], "files": len(info["files"]),
            "runs": runs, "identical": identical, "shard_count": len(first)}


def one_compressed_file(out: str, workers: list[int]) -> dict:
    """The largest file of the corpus as one .zst (made once with the zstd tool), built at each worker
    count: several workers share one compressed file through ranges of its decompressed bytes."""
    plain = os.path.join(CORPUS, "part-01.jsonl")
    packed = os.path.join(CORPUS, "..", "one-file", "part-01.jsonl.zst")
    if not os.path.exists(packed):
        os.makedirs(os.path.dirname(packed), exist_ok=True)
        subprocess.run(["zstd", "-q", "-f", "-3", plain, "-o", packed + ".partial"], check=True)
        os.replace(packed + ".partial", packed)
    config = variant(os.path.join(HERE, "pipeline.yaml"), os.path.join(out, "one-file.yaml"),
                     {"sources": f"[{{name: corpus, format: jsonl, paths: [{packed}]}}]"})
    runs = {}
    for w in workers:
        print(f"grist build on one .zst file ({os.path.getsize(plain) / MB:.0f} MB of JSON Lines, "
              f"{os.path.getsize(packed) / MB:.0f} MB compressed) --workers {w} ...", flush=True)
        t = build(config, os.path.join(out, f"one-file-w{w}"), w, os.path.join(out, f"one-file-w{w}.log"))
        t["shards"] = shard_hashes(os.path.join(out, f"one-file-w{w}"))
        runs[w] = t
        print(f"  {t['wall']:.1f} s wall, {t['cpu']:.1f} CPU-s, peak RSS {t['rss_mb']:.0f} MB", flush=True)
    first = runs[workers[0]]["shards"]
    return {"mb": os.path.getsize(plain) / MB, "compressed_mb": os.path.getsize(packed) / MB, "runs": runs,
            "identical": all(r["shards"] == first for r in runs.values())}


def gpt2_tokenizer_json(path: str) -> str:
    """GPT-2 as a Hugging Face tokenizer.json, built from the ranks file bundled with grist
    (scripts/tokenizer/check_hf_tokenizer.py's converter; its merges are what tiktoken would merge)."""
    if os.path.exists(path):
        return path
    import base64
    sys.path.insert(0, os.path.join(REPO, "scripts", "tokenizer"))
    from check_hf_tokenizer import gpt2_tokenizer_json as write  # noqa: E402
    ranks = {}
    with open(os.path.join(REPO, "Sources", "GristTokenize", "Resources", "gpt2.tiktoken"), "rb") as f:
        for line in f:
            if line.strip():
                token, rank = line.split()
                ranks[base64.b64decode(token)] = int(rank)
    write(ranks, path + ".partial")
    os.replace(path + ".partial", path)
    return path


def compare(out: str) -> dict:
    info = corpus_info()
    subset = os.path.join(CORPUS, "subset.jsonl")
    mb = info["subset"]["jsonl_bytes"] / MB
    result = {"subset_mb": mb, "documents": info["subset"]["documents"]}

    print(f"grist build bench/pipeline/compare.yaml --workers 1 ({mb:.1f} MB) ...", flush=True)
    ours = build("bench/pipeline/compare.yaml", os.path.join(out, "compare"), 1, os.path.join(out, "compare.log"))
    print(f"  {ours['summary']}\n  {ours['cpu']:.2f} CPU-s, {ours['wall']:.1f} s wall, peak RSS {ours['rss_mb']:.0f} MB",
          flush=True)
    result["grist"] = ours

    tokenizer = gpt2_tokenizer_json(os.path.join(out, "gpt2-tokenizer.json"))
    check = subprocess.run([PY, os.path.join(HERE, "run_datatrove.py"), "--check-tokenizer", subset, tokenizer, GRIST],
                           capture_output=True, text=True, cwd=REPO)
    if check.returncode != 0:
        raise SystemExit(f"tokenizer check failed:\n{check.stdout}{check.stderr}")
    print("  " + check.stdout.strip().splitlines()[-1], flush=True)

    result["datatrove"] = run_datatrove(out, subset, tokenizer, "datatrove", [])

    # The same without the four filters: MinHash, tokens and shards then see every document.
    print(f"without the quality filters (MinHash, tokens and shards on every document):", flush=True)
    config = variant(os.path.join(HERE, "compare.yaml"), os.path.join(out, "compare-nofilters.yaml"),
                     {"filters": "[]", "output": "out/bench-pipeline/compare-nofilters"})
    ours = build(config, os.path.join(out, "compare-nofilters"), 1, os.path.join(out, "compare-nofilters.log"))
    print(f"  grist: {ours['cpu']:.2f} CPU-s, {ours['wall']:.1f} s wall, peak RSS {ours['rss_mb']:.0f} MB", flush=True)
    result["grist_nofilters"] = ours
    result["datatrove_nofilters"] = run_datatrove(out, subset, tokenizer, "datatrove-nofilters", ["--no-filters"])
    return result


def run_datatrove(out: str, subset: str, tokenizer: str, name: str, extra: list[str]) -> dict:
    print(f"datatrove 0.10.1 {' '.join(extra)}, one worker (minutes) ...", flush=True)
    before = load()
    log = os.path.join(out, name + ".log")
    theirs = timed([PY, os.path.join(HERE, "run_datatrove.py"), subset, os.path.join(out, name), tokenizer] + extra,
                   log)
    theirs["load_before"], theirs["load_after"] = before, load()
    lines = [line for line in open(log).read().splitlines() if line.startswith("{")]
    theirs.update(json.loads(lines[-1]))
    print(f"  {theirs['total_cpu_seconds']:.1f} CPU-s in the stages {theirs['cpu_seconds']} "
          f"({theirs['cpu']:.1f} CPU-s with start-up), {theirs['wall']:.0f} s wall, peak RSS {theirs['rss_mb']:.0f} MB",
          flush=True)
    return theirs


def stages(out: str) -> dict:
    """grist's stages on the subset: builds with stages switched off, and `grist filter --summary`."""
    configs = os.path.join(out, "configs")
    os.makedirs(configs, exist_ok=True)
    base = os.path.join(HERE, "compare.yaml")
    plan = [
        ("read + tokenize + shards", {"filters": "[]", "dedup": "{exact: false}"}),
        ("+ four quality filters", {"dedup": "{exact: false}"}),
        ("+ exact and MinHash dedup (compare.yaml)", {}),
        ("+ clean (nfc, control, whitespace)", {"clean": "{unicode: nfc, remove_control: true, normalize_whitespace: true}"}),
    ]
    rows = []
    for i, (label, replace) in enumerate(plan):
        config = variant(base, os.path.join(configs, f"stage-{i}.yaml"), replace)
        t = build(config, os.path.join(out, f"stage-{i}"), 1, os.path.join(out, f"stage-{i}.log"))
        rows.append({"label": label, **t})
        print(f"  {label:<42} {t['cpu']:7.2f} CPU-s  {t['summary']}", flush=True)
    filters = variant(base, os.path.join(configs, "filters.yaml"), {"dedup": "{exact: false}"})
    log = os.path.join(out, "filter.log")
    t = timed([GRIST, "filter", "--config", filters, os.path.join(CORPUS, "subset.jsonl"), "--summary"], log)
    rules = float(re.search(r"rules: ([0-9.]+) CPU-s", open(log).read()).group(1))
    print(f"  grist filter --summary (read, the four filters, a decision per document): {t['cpu']:.2f} CPU-s, "
          f"rules {rules:.2f} CPU-s", flush=True)
    return {"builds": rows, "filter_command": t, "filter_rules_cpu": rules}


def profile(out: str, megabytes: float) -> dict:
    """callgrind on a build of the subset's first MEGABYTES MB; top functions by inclusive cost."""
    folder = os.path.join(out, "profile")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    part = os.path.join(folder, "part.jsonl")
    size = 0
    with open(os.path.join(CORPUS, "subset.jsonl"), "rb") as f, open(part, "wb") as g:
        for line in f:
            g.write(line)
            size += len(line)
            if size >= megabytes * MB:
                break
    config = variant(os.path.join(HERE, "compare.yaml"), os.path.join(folder, "profile.yaml"),
                     {"sources": f"[{{name: part, format: jsonl, paths: [{part}]}}]"})
    binary = os.path.join(folder, "grist")
    shutil.copy(GRIST, binary)
    subprocess.run(["strip", "--strip-debug", binary], check=True)
    resources = os.path.join(os.path.dirname(GRIST), "gristmill_GristTokenize.resources")
    if os.path.isdir(resources):
        shutil.copytree(resources, os.path.join(folder, os.path.basename(resources)))
    callgrind = os.path.join(folder, "callgrind.out")
    print(f"callgrind: grist build on the first {size / MB:.1f} MB of the subset (slow) ...", flush=True)
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={callgrind}", binary, "build", config,
                    "--output", os.path.join(folder, "build"), "--workers", "1"], check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", callgrind],
                            capture_output=True, text=True, check=True).stdout
    exclusive = subprocess.run(["callgrind_annotate", "--threshold=100", callgrind],
                               capture_output=True, text=True, check=True).stdout
    with open(os.path.join(folder, "inclusive.txt"), "w") as f:
        f.write(report)
    with open(os.path.join(folder, "exclusive.txt"), "w") as f:
        f.write(exclusive)
    return {"megabytes": size / MB, "inclusive": os.path.join(folder, "inclusive.txt"),
            "exclusive": os.path.join(folder, "exclusive.txt")}


def table(results: dict) -> None:
    print()
    print(f"load average (1, 5, 15 min): {results['load_start']} at the start, {results['load_end']} at the end "
          f"({os.cpu_count()} cores, shared with other work)")
    if "throughput" in results:
        t = results["throughput"]
        print(f"\nthroughput: grist build bench/pipeline/pipeline.yaml on {t['corpus_mb']:.0f} MB of JSON Lines "
              f"({t['corpus_disk_mb']:.0f} MB on disk, {t['files']} files, {t['documents']:,} documents)")
        print(f"  {'workers':>7} {'wall s':>8} {'CPU s':>8} {'MB/s':>8} {'MB/CPU-s':>9} {'peak RSS':>9}  load before -> after")
        for w, r in t["runs"].items():
            print(f"  {w:>7} {r['wall']:8.1f} {r['cpu']:8.1f} {t['corpus_mb'] / r['wall']:8.1f} "
                  f"{t['corpus_mb'] / r['cpu']:9.1f} {r['rss_mb']:6.0f} MB  {r['load_before']} -> {r['load_after']}")
        print(f"  shards ({t['shard_count']} files) byte-identical across worker counts: "
              f"{'yes' if t['identical'] else 'NO'}")
    if "one_file" in results:
        o = results["one_file"]
        print(f"\none compressed file: part-01 ({o['mb']:.0f} MB of JSON Lines) as one {o['compressed_mb']:.0f} MB .zst")
        print(f"  {'workers':>7} {'wall s':>8} {'CPU s':>8} {'MB/s':>8} {'peak RSS':>9}")
        for w, r in o["runs"].items():
            print(f"  {w:>7} {r['wall']:8.1f} {r['cpu']:8.1f} {o['mb'] / r['wall']:8.1f} {r['rss_mb']:6.0f} MB")
        print(f"  shards byte-identical across worker counts: {'yes' if o['identical'] else 'NO'}")
    if "compare" in results:
        c = results["compare"]
        g, d = c["grist"], c["datatrove"]
        dt = d["total_cpu_seconds"]
        print(f"\nwhole chain on subset.jsonl ({c['subset_mb']:.1f} MB, {c['documents']:,} documents), one worker each:")
        print(f"  {'':<34} {'CPU s':>8} {'MB/CPU-s':>9} {'wall s':>8} {'peak RSS':>9}")
        print(f"  {'datatrove 0.10.1 (its stages)':<34} {dt:8.1f} {c['subset_mb'] / dt:9.3f} {d['wall_seconds']:8.1f} "
              f"{d['rss_mb']:6.0f} MB")
        print(f"  {'grist build (whole process)':<34} {g['cpu']:8.2f} {c['subset_mb'] / g['cpu']:9.2f} {g['wall']:8.1f} "
              f"{g['rss_mb']:6.0f} MB")
        print(f"  ratio (datatrove CPU / grist CPU): {dt / g['cpu']:.1f}x  (target: 30x)")
        print(f"  datatrove CPU-s by stage: " + ", ".join(f"{k} {v:.1f}" for k, v in d["cpu_seconds"].items()))
        for stage, steps in d["steps"].items():
            print(f"    {stage}: " + ", ".join(f"{k} {v['seconds']:.1f}s" for k, v in steps.items()))
        if "grist_nofilters" in c:
            g2, d2 = c["grist_nofilters"], c["datatrove_nofilters"]
            dt2 = d2["total_cpu_seconds"]
            print(f"  without the four filters (MinHash, GPT-2 tokens, shards on all {c['subset_mb']:.0f} MB):")
            print(f"  {'datatrove 0.10.1 (its stages)':<34} {dt2:8.1f} {c['subset_mb'] / dt2:9.3f} "
                  f"{d2['wall_seconds']:8.1f} {d2['rss_mb']:6.0f} MB")
            print(f"  {'grist build (whole process)':<34} {g2['cpu']:8.2f} {c['subset_mb'] / g2['cpu']:9.2f} "
                  f"{g2['wall']:8.1f} {g2['rss_mb']:6.0f} MB")
            print(f"  ratio: {dt2 / g2['cpu']:.1f}x; datatrove by stage: "
                  + ", ".join(f"{k} {v:.1f}" for k, v in d2["cpu_seconds"].items()))
    if "stages" in results:
        s = results["stages"]
        print("\ngrist on subset.jsonl, one worker, stages switched on one after another:")
        previous = None
        for row in s["builds"]:
            delta = "" if previous is None else f"  (+{row['cpu'] - previous:.2f})"
            print(f"  {row['label']:<44} {row['cpu']:7.2f} CPU-s{delta}")
            previous = row["cpu"]
        print(f"  grist filter --summary, the four filters' rules alone: {s['filter_rules_cpu']:.2f} CPU-s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["throughput", "compare", "stages"], action="append")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--profile", type=float, default=0, help="callgrind on the subset's first MB megabytes")
    parser.add_argument("--out", default=os.path.join(REPO, "out", "bench-pipeline"))
    args = parser.parse_args()
    toolenv.grist_binary()  # built if missing (make bench-pipeline builds it first)
    os.makedirs(args.out, exist_ok=True)
    if not os.path.exists(os.path.join(CORPUS, "corpus.json")):
        subprocess.run([PY, os.path.join(HERE, "make_corpus.py"), "--out", CORPUS], check=True)
    parts = args.only or ["throughput", "compare", "stages"]
    results: dict = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "load_start": load(),
                     "uptime_start": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()}
    if "throughput" in parts:
        results["throughput"] = throughput(args.out, [int(w) for w in args.workers.split(",")])
        results["one_file"] = one_compressed_file(args.out, [int(w) for w in args.workers.split(",")])
    if "compare" in parts:
        results["compare"] = compare(args.out)
    if "stages" in parts:
        results["stages"] = stages(args.out)
    if args.profile:
        results["profile"] = profile(args.out, args.profile)
    results["load_end"] = load()
    results["uptime_end"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1, default=str)
    table(results)
    if "one_file" in results and not results["one_file"]["identical"]:
        print("error: the shards of the one-file build differ between worker counts")
        return 1
    if "throughput" in results and not results["throughput"]["identical"]:
        print("error: the shards differ between worker counts")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
