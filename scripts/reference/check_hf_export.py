#!/usr/bin/env python3
"""A folder written by `grist export` (or `grist train --export-hf`) in `transformers` itself.

    python3 scripts/reference/check_hf_export.py DIR --vocab VOCAB [--checkpoint FILE] [--text FILE ...]
        [--max-bytes N] [--context T]

1. Loads DIR with `AutoTokenizer.from_pretrained` and `GPT2LMHeadModel.from_pretrained`; for a
   vocabulary of GPT-2's pre-tokenizer, also a copy of DIR without tokenizer.json (the tokenizer is then
   built from vocab.json and merges.txt).
2. Tokenizer: encodes each text (built-in samples with `<|endoftext|>`, non-ASCII, code and runs of
   spaces, one with every added special token, plus the first N bytes of each --text file) with the loaded tokenizers and with
   `grist tokenizer encode --vocab VOCAB --allow-special` (VOCAB: the vocabulary the model was trained
   with), and compares the ids; decodes them back and compares with the text. The special token ids
   must agree with config.json (bos/eos) and with grist.
3. Model: the mean next-token loss over the ids of the first --text (windows of T + 1 tokens, T the
   model's context unless --context), computed by the loaded model on the tokenizer's ids, and by
   `grist eval` on grist's ids of the same text (`--checkpoint FILE` when given, else `--hf-model DIR`);
   the two must agree within 1e-3.
Prints the figures; exits 1 on any disagreement. Runs itself in .venv-bench (scripts/toolenv;
scripts/reference/requirements-torch.txt: torch CPU, transformers, safetensors). `make hf-check` runs it
on a model trained on the sample corpus with the sample's own trained vocabulary.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "toolenv"))
sys.path.insert(0, HERE)
import toolenv  # noqa: E402

SAMPLES = [
    "Hello world",
    "To be, or not to be: that is the question.<|endoftext|>ROMEO: But, soft! what light through yonder window breaks?",
    "<|endoftext|>",
    "a<|endoftext|>b <|endoftext|> c<|endoftext|><|endoftext|>",
    "It's 2026; we're   testing    spaces\n\n\n  and\ttabs\r\n",
    "def f(x):\n    return x ** 2  # squares\n\n\nclass A:\n        pass\n",
    "naïve café, Straße, ½ ⅓ №, 日本語のテキスト, привет мир, مرحبا, 😀🎉 emoji",
    "   leading spaces and trailing spaces   ",
    "<|endoftext",
]


def grist_ids(grist: str, vocab: str, text: str) -> list[int]:
    with tempfile.NamedTemporaryFile("wb", suffix=".txt", delete=False) as f:
        f.write(text.encode("utf-8"))
        path = f.name
    try:
        out = subprocess.run([grist, "tokenizer", "encode", "--vocab", vocab, "--allow-special", path],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    return [int(x) for x in out.split()]


def grist_loss(grist: str, model_args: list[str], ids: list[int], context: int) -> float:
    import numpy as np

    with tempfile.NamedTemporaryFile("wb", suffix=".u16", delete=False) as f:
        f.write(np.asarray(ids, dtype="<u2").tobytes())
        path = f.name
    try:
        out = subprocess.run([grist, "eval", *model_args, "--tokens", path, "--context", str(context)],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    last = out.strip().splitlines()[-1]
    assert last.startswith("loss "), out
    return float(last.split()[1])


def model_loss(model, ids: list[int], context: int) -> tuple[float, int]:
    """Mean cross-entropy over windows ids[k(T+1) ..< (k+1)(T+1)] while whole, as `grist eval` takes them."""
    import torch
    import torch.nn.functional as F

    t = context
    windows = len(ids) // (t + 1)
    tokens = torch.tensor(ids[: windows * (t + 1)], dtype=torch.long).view(windows, t + 1)
    total = 0.0
    with torch.no_grad():
        for start in range(0, windows, 16):
            batch = tokens[start:start + 16]
            logits = model(batch[:, :-1]).logits
            total += F.cross_entropy(logits.reshape(-1, logits.size(-1)), batch[:, 1:].reshape(-1),
                                     reduction="sum").item()
    return total / (windows * t), windows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder")
    parser.add_argument("--vocab", required=True, help="the vocabulary grist encodes with (gpt2, ranks file, tokenizer.json)")
    parser.add_argument("--checkpoint", help="the grist checkpoint the folder was exported from (for grist eval)")
    parser.add_argument("--text", action="append", default=[], help="a UTF-8 text file (repeatable)")
    parser.add_argument("--max-bytes", type=int, default=200_000, help="bytes of each --text file used")
    parser.add_argument("--context", type=int, help="T of the loss windows (default: the model's context)")
    args = parser.parse_args()

    toolenv.ensure(["torch", "transformers", "safetensors"], "scripts/reference/requirements-torch.txt")
    import torch
    import transformers
    from transformers import AutoTokenizer, GPT2LMHeadModel

    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    transformers.logging.set_verbosity_error()  # not the warning that a long text exceeds the context
    grist = toolenv.grist_binary()
    failures: list[str] = []

    tokenizer = AutoTokenizer.from_pretrained(args.folder)
    model = GPT2LMHeadModel.from_pretrained(args.folder).eval()
    with open(os.path.join(args.folder, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    with open(os.path.join(args.folder, "tokenizer.json"), encoding="utf-8") as f:
        pre_tokenizer = json.load(f)["pre_tokenizer"]["type"]
    print(f"transformers {transformers.__version__}, torch {torch.__version__}")
    print(f"{args.folder}: {type(tokenizer).__name__} with {len(tokenizer)} tokens; {type(model).__name__} with "
          f"{model.config.n_layer} layers, {model.config.n_embd} wide, vocab_size {model.config.vocab_size}, "
          f"{sum(p.numel() for p in model.parameters()):,} parameters")
    tokenizers = [("tokenizer.json", tokenizer)]
    scratch = tempfile.mkdtemp(prefix="hf-files-")
    if pre_tokenizer == "ByteLevel":  # GPT-2's pattern: vocab.json and merges.txt say everything
        for name in ["vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"]:
            shutil.copy(os.path.join(args.folder, name), scratch)
        tokenizers.append(("vocab.json + merges.txt", AutoTokenizer.from_pretrained(scratch)))
    else:
        print(f"pre-tokenizer {pre_tokenizer}: only tokenizer.json encodes it (vocab.json + merges.txt not checked)")

    # Special tokens: the tokenizer's, config.json's and grist's id of <|endoftext|>.
    eot = grist_ids(grist, args.vocab, "<|endoftext|>")
    special = {"tokenizer eos": tokenizer.eos_token_id, "tokenizer bos": tokenizer.bos_token_id,
               "config eos": config.get("eos_token_id"), "config bos": config.get("bos_token_id"),
               "grist": eot[0] if len(eot) == 1 else eot}
    print("<|endoftext|> ids: " + ", ".join(f"{k} {v}" for k, v in special.items()))
    if len(set(map(str, special.values()))) != 1:
        failures.append(f"<|endoftext|> ids disagree: {special}")
    if len(tokenizer) != model.config.vocab_size:
        failures.append(f"the tokenizer has {len(tokenizer)} tokens, the model {model.config.vocab_size}")

    # The same ids as grist, and the text back.
    texts = [("sample %d" % i, s) for i, s in enumerate(SAMPLES)]
    added = sorted(tokenizer.get_added_vocab())  # every special token, <|endoftext|> and the build's own
    texts.append(("special tokens", "x" + "".join(f"{token} y{i}" for i, token in enumerate(added))))
    for path in args.text:
        with open(path, "rb") as f:
            texts.append((path, f.read(args.max_bytes).decode("utf-8", errors="ignore")))
    ids_of = {name: grist_ids(grist, args.vocab, text) for name, text in texts}
    for label, loaded in tokenizers:
        total = mismatched = undecoded = 0
        for name, text in texts:
            ours = ids_of[name]
            theirs = loaded(text, add_special_tokens=False)["input_ids"]
            total += len(ours)
            if ours != theirs:
                mismatched += 1
                first = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
                failures.append(f"{label}: {name}: ids differ at token {first} (grist {ours[first:first + 5]}, "
                                f"transformers {theirs[first:first + 5]}; {len(ours)} vs {len(theirs)} tokens)")
            back = loaded.decode(theirs)
            if back != text:
                undecoded += 1
                failures.append(f"{label}: {name}: decode(encode(text)) differs from the text: {back[:80]!r}")
        print(f"tokenizer from {label} ({type(loaded).__name__}): {len(texts)} texts, {total:,} tokens: "
              f"{mismatched} with other ids than grist's, {undecoded} not decoded back exactly")
    shutil.rmtree(scratch)

    # The loss of the model on a text: transformers (the tokenizer's ids) against grist eval (grist's ids).
    loss_text = texts[len(SAMPLES) + 1][1] if args.text else " ".join(s for s in SAMPLES) * 40
    context = args.context or model.config.n_positions
    ids = tokenizer(loss_text, add_special_tokens=False)["input_ids"]
    if len(ids) < context + 1:
        failures.append(f"the loss text has {len(ids)} tokens, fewer than one window of {context + 1}")
    else:
        theirs, windows = model_loss(model, ids, context)
        model_args = ["--checkpoint", args.checkpoint] if args.checkpoint else ["--hf-model", args.folder]
        ours = grist_loss(grist, model_args, grist_ids(grist, args.vocab, loss_text), context)
        difference = abs(ours - theirs)
        print(f"loss over {windows} windows of {context} + 1 tokens: transformers {theirs:.6f}, "
              f"grist eval ({model_args[0]}) {ours:.6f}, difference {difference:.2e}")
        if not difference <= 1e-3:
            failures.append(f"the losses differ by {difference:.2e} (more than 1e-3)")

    for failure in failures:
        print("FAIL " + failure)
    print("ok" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
