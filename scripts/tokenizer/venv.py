"""Re-runs the calling script inside a venv holding scripts/tokenizer/requirements.txt."""

from __future__ import annotations

import os
import subprocess
import sys
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def ensure(modules: list[str], location: str | None = None) -> None:
    """Returns if `modules` import; else creates the venv (default <repo>/.venv-bench, or
    $GRIST_BENCH_VENV), installs the pinned requirements and re-executes the script in it."""
    try:
        for module in modules:
            __import__(module)
        return
    except ImportError:
        pass
    location = location or os.environ.get("GRIST_BENCH_VENV", os.path.join(REPO, ".venv-bench"))
    python = os.path.join(location, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(location):
        raise SystemExit(f"{modules} still missing inside {location}")
    if not os.path.exists(python):
        print(f"creating {location}", file=sys.stderr)
        venv.create(location, with_pip=True)
    subprocess.check_call([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           "-r", os.path.join(HERE, "requirements.txt")])
    os.execv(python, [python] + sys.argv)


def grist_binary() -> str:
    """The release `grist`, built if missing ($GRIST_BIN overrides)."""
    path = os.environ.get("GRIST_BIN") or os.path.join(REPO, ".build", "release", "grist")
    if not os.path.exists(path):
        subprocess.check_call(["swift", "build", "-c", "release", "--product", "grist"], cwd=REPO)
    return path


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
