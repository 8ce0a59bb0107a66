#!/usr/bin/env python3
"""The reference for `grist eval`: mean next-token cross-entropy of a Hugging Face GPT-2 folder over a
token file, computed by `transformers` with the same windows (tokens[k(T+1) ..< (k+1)(T+1)] while whole).

Checks both that a folder written by `grist train --export-hf` loads in GPT2LMHeadModel.from_pretrained
and that `grist eval` agrees with it:
    python3 scripts/reference/hf_eval.py MODEL_DIR TOKENS_FILE T
    grist eval --hf-model MODEL_DIR --tokens TOKENS_FILE --context T
Runs inside .venv-bench (scripts/toolenv; scripts/reference/requirements-torch.txt: torch CPU, transformers).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "toolenv"))
import toolenv  # noqa: E402


def main():
    toolenv.ensure(["torch", "transformers", "numpy"], "scripts/reference/requirements-torch.txt")
    import numpy as np
    import torch
    import torch.nn.functional as F
    from transformers import GPT2LMHeadModel

    folder, path, t = sys.argv[1], sys.argv[2], int(sys.argv[3])
    raw = np.fromfile(path, dtype=np.uint8)
    header = np.frombuffer(raw[:1024].tobytes(), dtype=np.int32) if raw.size >= 1024 else None
    offset = 1024 if header is not None and header[0] == 20240520 else 0
    tokens = np.frombuffer(raw[offset:].tobytes(), dtype=np.uint16).astype(np.int64)
    model = GPT2LMHeadModel.from_pretrained(folder).eval()
    windows = len(tokens) // (t + 1)
    total = 0.0
    with torch.no_grad():
        for k in range(windows):
            w = torch.from_numpy(tokens[k * (t + 1):(k + 1) * (t + 1)]).view(1, -1)
            logits = model(w[:, :-1]).logits
            total += F.cross_entropy(logits.view(-1, logits.size(-1)), w[:, 1:].reshape(-1), reduction="sum").item()
    print(f"{windows} windows of {t} + 1 tokens")
    print(f"loss {total / (windows * t):.6f}")


if __name__ == "__main__":
    main()
