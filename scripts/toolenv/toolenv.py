#!/usr/bin/env python3
"""The one venv of Gristmill's Python reference tools (bench/, scripts/, corpora/scripts/).

Every Python helper that needs packages from PyPI (datatrove, spaCy, tiktoken, torch, ...) starts with

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "toolenv"))
    import toolenv  # noqa: E402
    toolenv.ensure(["datatrove", "spacy"], "bench/dedup/requirements.txt")

`ensure` returns at once when the modules import. Otherwise it creates the venv (<repo>/.venv-bench, or
$GRIST_BENCH_VENV) if missing, installs the requirements files there with
`pip install -r REQUIREMENTS -c scripts/toolenv/constraints.txt` (the single pin of every package) and
re-executes the calling script with the venv's Python and the same arguments; a script that still
cannot import them there stops with an error instead of re-executing again.

Shell scripts use the command line:

    PY="$(python3 scripts/toolenv/toolenv.py [--import MOD,...] REQUIREMENTS...)"    # the venv's python
    python3 scripts/toolenv/toolenv.py [--import MOD,...] REQUIREMENTS... -- ARGS... # exec it with ARGS

Nothing here is needed by CI or by `grist` itself: the reference tools only make committed fixtures and
run the benchmarks. Standard library only (it runs before any package is installed).
"""

from __future__ import annotations

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CONSTRAINTS = os.path.join(HERE, "constraints.txt")
# Holds the process id across the re-execution (execv keeps it; the scripts it starts have their own, so
# they begin afresh): modules still missing then are an error, never another round of install and exec.
_GUARD = "GRIST_TOOLENV_REEXEC"


def venv_dir() -> str:
    """Where the venv lives: $GRIST_BENCH_VENV, else <repo>/.venv-bench (git-ignored)."""
    return os.path.abspath(os.environ.get("GRIST_BENCH_VENV") or os.path.join(REPO, ".venv-bench"))


def venv_python() -> str:
    return os.path.join(venv_dir(), "bin", "python")


def _paths(requirements: str | list[str]) -> list[str]:
    """Requirements files as absolute paths (relative ones are taken from the repository root)."""
    files = [requirements] if isinstance(requirements, str) else list(requirements)
    paths = [f if os.path.isabs(f) else os.path.join(REPO, f) for f in files]
    for path in paths:
        if not os.path.isfile(path):
            raise SystemExit(f"toolenv: no requirements file {path}")
    return paths


def _importable(modules: list[str]) -> bool:
    try:
        for module in modules:
            __import__(module)
        return True
    except ImportError:
        return False


def _inside(venv: str) -> bool:
    return os.path.realpath(sys.prefix) == os.path.realpath(venv)


def prepare(requirements: str | list[str], modules: list[str] | None = None) -> str:
    """Makes sure the venv exists and holds `requirements` (pinned by constraints.txt); returns its
    Python. With `modules`, pip is skipped when they already import in the venv."""
    paths = _paths(requirements)
    venv = venv_dir()
    python = venv_python()
    if not os.path.exists(python):
        import venv as stdlib_venv

        print(f"toolenv: creating {venv}", file=sys.stderr)
        stdlib_venv.create(venv, with_pip=True)
    elif modules and subprocess.run([python, "-c", "import " + ", ".join(modules)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
        return python
    print(f"toolenv: installing {', '.join(os.path.relpath(p, REPO) for p in paths)} into {venv}",
          file=sys.stderr)
    command = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", CONSTRAINTS]
    for path in paths:
        command += ["-r", path]
    # pip's own output goes to stderr: the command line prints the venv's python on stdout.
    subprocess.check_call(command, stdout=sys.stderr)
    return python


def ensure(modules: list[str], requirements: str | list[str]) -> None:
    """Returns when `modules` import in this Python. Otherwise installs `requirements` (one file or a
    list; relative paths from the repository root) into the venv and re-executes the running script
    there with the same arguments; never returns in that case."""
    reexecuted = os.environ.get(_GUARD) == str(os.getpid())
    if _importable(modules):
        return
    venv = venv_dir()
    if reexecuted:
        raise SystemExit(f"toolenv: {', '.join(modules)} still missing in {venv} after installing "
                         f"{requirements}; check the requirements file or remove the venv")
    script = sys.argv[0] if sys.argv else ""
    if not script or script == "-c" or not os.path.exists(script):
        raise SystemExit(f"toolenv: {', '.join(modules)} missing, and no script to re-execute in {venv}")
    # Inside the venv already, the modules are known to be missing: install without probing first.
    python = prepare(requirements, None if _inside(venv) else modules)
    sys.stdout.flush()
    sys.stderr.flush()
    os.environ[_GUARD] = str(os.getpid())
    os.execv(python, [python, os.path.abspath(script)] + sys.argv[1:])


def grist_path() -> str:
    """The `grist` binary the tools run: $GRIST_BIN, else the release build <repo>/.build/release/grist."""
    return os.path.abspath(os.environ.get("GRIST_BIN") or os.path.join(REPO, ".build", "release", "grist"))


def grist_binary() -> str:
    """grist_path(), built first (`swift build -c release --product grist`) when the release build is
    missing; a $GRIST_BIN that does not exist is an error."""
    path = grist_path()
    if not os.path.exists(path):
        if os.environ.get("GRIST_BIN"):
            raise SystemExit(f"GRIST_BIN={path} does not exist")
        print("toolenv: building the release grist", file=sys.stderr)
        subprocess.check_call(["swift", "build", "-c", "release", "--product", "grist"], cwd=REPO)
    return path


def main(argv: list[str]) -> int:
    import argparse

    args, rest = argv, []
    if "--" in argv:
        at = argv.index("--")
        args, rest = argv[:at], argv[at + 1:]
    parser = argparse.ArgumentParser(
        prog="toolenv.py", description="Install requirements files into the reference-tool venv "
        "(pinned by scripts/toolenv/constraints.txt); print its python, or run it with the "
        "arguments after --.")
    parser.add_argument("requirements", nargs="+", help="requirements files (relative to the repository root, or absolute)")
    parser.add_argument("--import", dest="modules", default="",
                        help="comma-separated modules: skip pip when they already import in the venv")
    options = parser.parse_args(args)
    modules = [m for m in options.modules.split(",") if m]
    python = prepare([os.path.abspath(r) if os.path.exists(r) else r for r in options.requirements], modules or None)
    if rest:
        sys.stdout.flush()
        os.execv(python, [python] + rest)
    print(python)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
