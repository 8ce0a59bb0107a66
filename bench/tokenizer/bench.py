#!/usr/bin/env python3
"""`make bench-tokenizer`: Gristmill's tokenizer side by side with tiktoken, Hugging Face tokenizers
and SentencePiece, on the same real text in the same run.

    python3 bench/tokenizer/bench.py [--quick] [--skip-train] [--skip-encode]

1. Encoding speed: tiktoken 0.14 `encode_ordinary` (GPT-2, one thread, one call per document) against
   Gristmill's encoder on one thread and on two threads over the same documents (grist-bench-tokenizer,
   a release build), for English prose and documentation, code, non-Latin text and everything together
   (scripts/tokenizer/realtext.py: Debian packages). MB/s per CPU-second (CLOCK_PROCESS_CPUTIME_ID /
   Python's process_time) and wall-clock MB/s; the machine is shared, so CPU figures are the stable ones.
2. Training: the same 20 MB sample (documents from every kind, round robin) at vocabulary sizes 8192 and
   32768: Gristmill's `grist tokenizer train`, Hugging Face's byte-level BpeTrainer, SentencePiece BPE.
   CPU seconds (all threads) and wall seconds, and compression: tokens per byte on 2 MB of held-out
   documents (never in the sample).

Runs itself in .venv-bench (scripts/toolenv installs scripts/tokenizer/requirements.txt from PyPI).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts", "tokenizer"))
sys.path.insert(0, os.path.join(REPO, "scripts", "toolenv"))
import gpt2ref  # noqa: E402
import realtext  # noqa: E402
import toolenv  # noqa: E402

GROUPS = {
    "english": ["docs-python", "docs-perl", "fortunes-en", "dict-gcide"],
    "code": ["code-go", "code-python"],
    "non-latin": ["man-ja", "man-zh", "man-ru", "man-uk", "fortunes-zh", "fortunes-ru"],
    "all": list(realtext.KINDS),
}
SEP = realtext.SEPARATOR.encode()


def build_binaries() -> tuple[str, str]:
    subprocess.check_call(["swift", "build", "-c", "release", "--product", "grist"], cwd=REPO,
                          stdout=subprocess.DEVNULL)
    subprocess.check_call(["swift", "build", "-c", "release", "--product", "grist-bench-tokenizer"], cwd=REPO,
                          stdout=subprocess.DEVNULL)
    release = os.path.join(REPO, ".build", "release")
    return os.path.join(release, "grist"), os.path.join(release, "grist-bench-tokenizer")


def group_file(name: str, paths: dict[str, str], folder: str) -> str:
    target = os.path.join(folder, f"group-{name}.txt")
    if not os.path.exists(target):
        docs = []
        for kind in GROUPS[name]:
            docs += realtext.documents(paths[kind])
        with open(target + ".partial", "wb") as f:
            f.write(SEP.join(docs))
        os.replace(target + ".partial", target)
    return target


def ours_encode(bench: str, path: str, threads: int, repeat: int, cache: bool = True, vocab: str = "gpt2") -> dict:
    args = [bench, "encode", path, "--threads", str(threads), "--repeat", str(repeat), "--vocab", vocab]
    if not cache:
        args.append("--no-cache")
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def bench_encode(bench: str, paths: dict[str, str], folder: str, quick: bool) -> None:
    enc = gpt2ref.tiktoken_gpt2()
    import tiktoken
    print(f"\n## Encoding GPT-2 (tiktoken {tiktoken.__version__} encode_ordinary vs Gristmill), "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("MB/s per CPU-second (wall MB/s in parentheses); ratios are per CPU-second except the 2-thread "
          "one, which is wall-clock (what two threads buy).")
    header = (f"{'text':10} {'MB':>6} {'tiktoken':>16} {'ours 1 thread':>16} {'ours no cache':>16} "
              f"{'ours 2 threads':>16} {'ours/tiktoken':>13} {'2 thr/1 thr':>11} {'peak RSS':>9}")
    print(header)
    for name in GROUPS:
        path = group_file(name, paths, folder)
        docs = [d.decode("utf-8") for d in realtext.documents(path)]
        size = os.path.getsize(path) - (len(docs) - 1)
        if quick and name == "all":
            continue
        cpu0, wall0 = time.process_time(), time.perf_counter()
        tokens = 0
        for doc in docs:
            tokens += len(enc.encode_ordinary(doc))
        tik_cpu, tik_wall = time.process_time() - cpu0, time.perf_counter() - wall0
        repeat = 1 if quick else 5
        one = ours_encode(bench, path, 1, repeat)
        nocache = ours_encode(bench, path, 1, repeat, cache=False)
        two = ours_encode(bench, path, 2, repeat)
        if one["tokens"] != tokens * repeat:
            raise SystemExit(f"{name}: token counts differ: ours {one['tokens'] // repeat}, tiktoken {tokens}")

        def rate(d: dict) -> tuple[float, float]:
            return d["bytes"] / d["cpu_seconds"] / 1e6, d["bytes"] / d["wall_seconds"] / 1e6

        tik = (size / tik_cpu / 1e6, size / tik_wall / 1e6)
        r1, rn, r2 = rate(one), rate(nocache), rate(two)
        fmt = lambda r: f"{r[0]:7.1f} ({r[1]:6.1f})"  # noqa: E731
        print(f"{name:10} {size / 1e6:6.1f} {fmt(tik):>16} {fmt(r1):>16} {fmt(rn):>16} {fmt(r2):>16} "
              f"{r1[0] / tik[0]:12.2f}x {r2[1] / r1[1]:10.2f}x {one['max_rss_kb'] / 1024:7.0f}MB")


def training_sample(paths: dict[str, str], folder: str, sample_bytes: int, heldout_bytes: int) -> tuple[str, str]:
    train_path = os.path.join(folder, f"train-{sample_bytes}.txt")
    held_path = os.path.join(folder, f"heldout-{heldout_bytes}.txt")
    if os.path.exists(train_path) and os.path.exists(held_path):
        return train_path, held_path
    per_kind = {kind: realtext.documents(path) for kind, path in paths.items()}
    train, held = [], []
    train_size = held_size = 0
    index = 0
    while (train_size < sample_bytes or held_size < heldout_bytes) and any(index < len(d) for d in per_kind.values()):
        for kind, docs in per_kind.items():
            if index >= len(docs):
                continue
            doc = docs[index]
            if index % 10 == 9:
                if held_size < heldout_bytes:
                    held.append(doc)
                    held_size += len(doc)
            elif train_size < sample_bytes:
                doc = doc[: sample_bytes - train_size]
                doc = doc[: doc.rfind(b"\n") + 1] or doc
                train.append(doc)
                train_size += len(doc)
        index += 1
    for path, docs in ((train_path, train), (held_path, held)):
        with open(path, "wb") as f:
            f.write(SEP.join(docs))
    return train_path, held_path


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_train(grist: str, bench: str, paths: dict[str, str], folder: str, sizes: list[int]) -> None:
    import sentencepiece as spm
    import tokenizers
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers, decoders

    train_path, held_path = training_sample(paths, folder, 20_000_000, 2_000_000)
    train_docs = [d.decode("utf-8") for d in realtext.documents(train_path)]
    held_docs = [d.decode("utf-8") for d in realtext.documents(held_path)]
    held_bytes = sum(len(d.encode("utf-8")) for d in held_docs)
    train_bytes = sum(len(d.encode("utf-8")) for d in train_docs)
    # Our trainer reads the sample as text files, one document each.
    docs_dir = os.path.join(folder, "train-docs")
    if not os.path.isdir(docs_dir):
        os.makedirs(docs_dir + ".partial", exist_ok=True)
        for i, doc in enumerate(train_docs):
            with open(os.path.join(docs_dir + ".partial", f"{i:05d}.txt"), "w", encoding="utf-8") as f:
                f.write(doc)
        os.replace(docs_dir + ".partial", docs_dir)
    doc_files = [os.path.join(docs_dir, n) for n in sorted(os.listdir(docs_dir))]

    print(f"\n## Training byte-level BPE on {train_bytes / 1e6:.1f} MB ({len(train_docs)} documents of "
          f"{len(paths)} kinds); compression on {held_bytes / 1e6:.1f} MB held out")
    print(f"tokenizers {tokenizers.__version__}, sentencepiece {spm.__version__}; CPU seconds are all threads "
          f"(load average {os.getloadavg()[0]:.1f})")
    print(f"{'vocab':>6} {'tool':24} {'CPU s':>7} {'wall s':>7} {'tokens/byte':>11} {'vs HF':>8}")
    with tempfile.TemporaryDirectory(prefix="grist-bench-train-") as tmp:
        for size in sizes:
            rows = []
            # Gristmill
            out = os.path.join(tmp, f"ours-{size}")
            cpu0, wall0 = child_cpu(), time.perf_counter()
            subprocess.run([grist, "tokenizer", "train", "--vocab-size", str(size), "--output", out] + doc_files,
                           check=True, capture_output=True)
            ours_cpu, ours_wall = child_cpu() - cpu0, time.perf_counter() - wall0
            ours_tokens = ours_encode(bench, held_path, 1, 1, vocab=os.path.join(out, "tokenizer.tiktoken"))["tokens"]
            rows.append(("gristmill", ours_cpu, ours_wall, ours_tokens))

            # Hugging Face tokenizers, byte-level BPE (GPT-2 pre-tokenization)
            tok = Tokenizer(models.BPE())
            tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
            tok.decoder = decoders.ByteLevel()
            trainer = trainers.BpeTrainer(vocab_size=size, special_tokens=["<|endoftext|>"], show_progress=False,
                                          initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
            cpu0, wall0 = time.process_time(), time.perf_counter()
            tok.train_from_iterator(train_docs, trainer=trainer)
            hf_cpu, hf_wall = time.process_time() - cpu0, time.perf_counter() - wall0
            hf_tokens = sum(len(e.ids) for e in tok.encode_batch(held_docs))
            rows.append(("hf tokenizers byte-BPE", hf_cpu, hf_wall, hf_tokens))

            # SentencePiece BPE (lines are its sentences; byte fallback so every byte is covered)
            lines = [line for doc in train_docs for line in doc.split("\n") if line.strip()]
            prefix = os.path.join(tmp, f"spm-{size}")
            cpu0, wall0 = time.process_time(), time.perf_counter()
            spm.SentencePieceTrainer.train(
                sentence_iterator=iter(lines), model_prefix=prefix, model_type="bpe", vocab_size=size,
                byte_fallback=True, character_coverage=0.9995, max_sentence_length=1 << 16,
                input_sentence_size=0, num_threads=os.cpu_count() or 2, minloglevel=2,
                user_defined_symbols=["<|endoftext|>"])
            spm_cpu, spm_wall = time.process_time() - cpu0, time.perf_counter() - wall0
            sp = spm.SentencePieceProcessor(model_file=prefix + ".model")
            spm_tokens = sum(len(ids) for ids in sp.encode(held_docs))
            rows.append(("sentencepiece bpe", spm_cpu, spm_wall, spm_tokens))

            for tool, cpu, wall, tokens in rows:
                print(f"{size:6} {tool:24} {cpu:7.2f} {wall:7.2f} {tokens / held_bytes:11.4f} "
                      f"{(tokens / hf_tokens - 1) * 100:+7.2f}%")
            fastest = min(hf_cpu, spm_cpu)
            print(f"{size:6} gristmill CPU time / faster reference: {ours_cpu / fastest:.2f}x; "
                  f"tokens vs HF: {(ours_tokens / hf_tokens - 1) * 100:+.2f}%")


def main() -> int:
    toolenv.ensure(["tiktoken", "tokenizers", "sentencepiece"], "scripts/tokenizer/requirements.txt")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=realtext.DEFAULT_DIR)
    parser.add_argument("--quick", action="store_true", help="one repetition, 8k vocabulary only")
    parser.add_argument("--skip-encode", action="store_true")
    parser.add_argument("--skip-train", action="store_true")
    args = parser.parse_args()
    grist, bench = build_binaries()
    paths = realtext.fetch(args.dir)
    if not args.skip_encode:
        bench_encode(bench, paths, args.dir, args.quick)
    if not args.skip_train:
        bench_train(grist, bench, paths, args.dir, [8192] if args.quick else [8192, 32768])
    return 0


if __name__ == "__main__":
    sys.exit(main())
