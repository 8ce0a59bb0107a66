"""Runs a bench/pipeline script inside <repo>/.venv-bench (or $GRIST_BENCH_VENV) with
bench/pipeline/requirements.txt installed; creates the venv on first use. Never needed by CI."""

from __future__ import annotations

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
VENV = os.environ.get("GRIST_BENCH_VENV", os.path.join(REPO, ".venv-bench"))


def _imports(modules: list[str]) -> bool:
    try:
        for module in modules:
            __import__(module)
        return True
    except ImportError:
        return False


def ensure_venv(script: str, modules: list[str]) -> None:
    """Returns when `modules` import here. Otherwise re-executes `script` (same arguments) with the
    venv's Python, installing the pinned requirements first when they are missing there."""
    if _imports(modules):
        return
    python = os.path.join(VENV, "bin", "python")
    inside = os.path.realpath(sys.prefix) == os.path.realpath(VENV)
    if inside and os.environ.get("GRIST_BENCH_INSTALLED"):
        raise SystemExit(f"{modules} still missing inside {VENV}")
    if not os.path.exists(python):
        import venv
        print(f"creating {VENV}", file=sys.stderr)
        venv.create(VENV, with_pip=True)
    if inside or not os.path.exists(python) or subprocess.run(
            [python, "-c", "import " + ", ".join(modules)], capture_output=True).returncode != 0:
        subprocess.check_call([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                               "-r", os.path.join(HERE, "requirements.txt")])
        os.environ["GRIST_BENCH_INSTALLED"] = "1"
    os.execv(python, [python, os.path.abspath(script)] + sys.argv[1:])
