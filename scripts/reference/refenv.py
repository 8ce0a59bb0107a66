"""Shared by the scripts in scripts/reference/ and bench/filters/: run inside <repo>/.venv-bench.

The venv is created (and filled from scripts/reference/requirements.txt) when datatrove or spaCy
is missing; override its location with GRIST_BENCH_VENV. Nothing here is needed by CI: the
scripts write committed files (tables, fixtures) that the Swift tests read.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
VENV = os.environ.get("GRIST_BENCH_VENV", os.path.join(REPO, ".venv-bench"))
REQUIREMENTS = os.path.join(HERE, "requirements.txt")


def ensure_venv(script: str) -> None:
    """Re-executes `script` inside the venv unless datatrove and spaCy import here."""
    try:
        import datatrove  # noqa: F401
        import spacy  # noqa: F401
        import regex  # noqa: F401
        import zstandard  # noqa: F401
        return
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        subprocess.check_call([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                               "-r", REQUIREMENTS])
        os.execv(py, [py, os.path.abspath(script)] + sys.argv[1:])
    if not os.path.exists(py):
        print(f"creating {VENV}", file=sys.stderr)
        venv.create(VENV, with_pip=True)
    subprocess.check_call([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           "-r", REQUIREMENTS])
    os.execv(py, [py, os.path.abspath(script)] + sys.argv[1:])
