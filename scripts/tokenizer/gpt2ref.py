"""tiktoken's GPT-2 encoding, offline: shared by scripts/tokenizer/*.py and bench/tokenizer/bench.py.

(Their venv comes from scripts/toolenv/toolenv.py and scripts/tokenizer/requirements.txt.)
"""

from __future__ import annotations

import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GPT2_RANKS = os.path.join(REPO, "Sources", "GristTokenize", "Resources", "gpt2.tiktoken")
GPT2_RANKS_SHA256 = "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930"


def tiktoken_gpt2():
    """tiktoken's `gpt2` encoding, built offline from the ranks file bundled with Gristmill (the same
    file tiktoken downloads, checked by SHA-256) and tiktoken's own r50k pattern."""
    import hashlib

    import tiktoken
    from tiktoken.load import load_tiktoken_bpe
    from tiktoken_ext.openai_public import r50k_pat_str

    with open(GPT2_RANKS, "rb") as f:
        if hashlib.sha256(f.read()).hexdigest() != GPT2_RANKS_SHA256:
            raise SystemExit(f"{GPT2_RANKS} is not the GPT-2 ranks file")
    enc = tiktoken.Encoding(name="gpt2", pat_str=r50k_pat_str, mergeable_ranks=load_tiktoken_bpe(GPT2_RANKS),
                            special_tokens={"<|endoftext|>": 50256})
    assert enc.encode("Hello world") == [15496, 995]
    return enc
