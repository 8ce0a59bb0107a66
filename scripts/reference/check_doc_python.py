#!/usr/bin/env python3
"""Runs the Python examples of the docs on the sample build and compares what they print with the docs.

The Python twin of Tests/CLITests/DocExamplesTests.swift, for the examples `swift test` cannot run (CI
installs no Python packages): every block marked `<!-- doctest: python -->` in README.md and docs/*.md,
followed by an output block (a fence with no info string), is run and its stdout compared with that
block, line by line (trailing spaces and blank lines ignored). The blocks of one file run in order in one
namespace (a later block uses the functions of an earlier one), with the working directory set to an
examples folder: links to the repository's corpora/, pipelines/ and Sources/, and out/sample, a fresh
build of pipelines/sample.yaml (2 workers), so the examples use the paths a reader has at the
repository root after `make demo`.

    make docs-check                                   # python3 scripts/reference/check_doc_python.py
    python3 scripts/reference/check_doc_python.py --update    # rewrite the output blocks that differ

numpy and tiktoken come from the reference-tool venv (scripts/toolenv; pins in constraints.txt), grist
from $GRIST_BIN or the release build. Exit status 1 when an example fails or prints something else.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import io
import os
import shutil
import subprocess
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "toolenv"))
import toolenv  # noqa: E402

toolenv.ensure(["numpy", "tiktoken"], "scripts/reference/requirements-docs.txt")

MARKER = "<!-- doctest: python -->"


def fence_of(line: str) -> str | None:
    """The fence (``` or ~~~, as long as written) a line opens or closes, else None."""
    text = line.lstrip(" ")
    for character in "`~":
        run = len(text) - len(text.lstrip(character))
        if run >= 3:
            return character * run
    return None


def read_block(lines: list[str], start: int) -> tuple[int, int, str, int] | None:
    """The fenced block at the first non-blank line from `start`: (first content line, end (the closing
    fence's index), info string, indentation); None when that line opens no fence."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or not (fence := fence_of(lines[index])):
        return None
    indent = len(lines[index]) - len(lines[index].lstrip(" "))
    info = lines[index].strip()[len(fence):].strip()
    end = index + 1
    while end < len(lines) and not (lines[end].strip().startswith(fence) and not lines[end].strip().strip(fence[0])):
        end += 1
    if end >= len(lines):
        raise SystemExit(f"the code block at line {index + 1} is not closed")
    return index + 1, end, info, indent


def dedent(line: str, indent: int) -> str:
    return line[min(indent, len(line) - len(line.lstrip(" "))):]


def examples(lines: list[str]) -> list[dict]:
    """The marked Python blocks: code, the expected output (or None) and where they are."""
    found = []
    for index, line in enumerate(lines):
        if line.strip() != MARKER:
            continue
        code = read_block(lines, index + 1)
        if code is None or code[2] != "python":
            raise SystemExit(f"line {index + 1}: {MARKER} is not followed by a ```python block")
        first, end, _, indent = code
        example = {"line": index + 1, "code": "\n".join(dedent(l, indent) for l in lines[first:end]), "output": None}
        output = read_block(lines, end + 1)
        if output is not None and output[2] == "":
            out_first, out_end, _, out_indent = output
            example["output"] = (out_first, out_end, out_indent)
        found.append(example)
    return found


def normalized(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def check(path: str, folder: str, update: bool) -> int:
    """Runs the examples of one file in `folder`; returns the number of failures."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    marked = examples(lines)
    if not marked:
        return 0
    namespace: dict = {"__name__": "__doc_example__"}
    failures = 0
    edits = []
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        for example in marked:
            where = f"{os.path.relpath(path, toolenv.REPO)}:{example['line']}"
            captured = io.StringIO()
            try:
                with contextlib.redirect_stdout(captured):
                    exec(compile(example["code"], where, "exec"), namespace)
            except BaseException:  # an example that raises (or exits) fails; the next ones still run
                failures += 1
                print(f"{where}: the example failed:\n{traceback.format_exc()}", file=sys.stderr)
                continue
            actual = normalized(captured.getvalue())
            if example["output"] is None:
                if actual:
                    failures += 1
                    print(f"{where}: printed {actual!r} but the doc shows no output block", file=sys.stderr)
                continue
            first, end, indent = example["output"]
            expected = normalized("\n".join(dedent(l, indent) for l in lines[first:end]))
            if actual == expected:
                print(f"{where}: ok")
                continue
            if update:
                edits.append((first, end, [(" " * indent + l) if l else "" for l in actual]))
                print(f"{where}: output refreshed")
            else:
                failures += 1
                print(f"{where}: printed\n" + "\n".join("  " + l for l in actual)
                      + "\nthe doc shows\n" + "\n".join("  " + l for l in expected), file=sys.stderr)
    finally:
        os.chdir(cwd)
    for first, end, new in sorted(edits, reverse=True):
        lines[first:end] = new
    if edits:
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", help="Markdown files (default: README.md and docs/*.md)")
    parser.add_argument("--update", action="store_true", help="rewrite the output blocks that differ")
    parser.add_argument("--keep", action="store_true", help="keep the examples folder (its path is printed)")
    options = parser.parse_args()
    files = options.files or [os.path.join(toolenv.REPO, "README.md")] + sorted(glob.glob(os.path.join(toolenv.REPO, "docs", "*.md")))
    grist = toolenv.grist_binary()
    folder = tempfile.mkdtemp(prefix="grist-doc-python-")
    try:
        for name in ("corpora", "pipelines", "Sources"):
            os.symlink(os.path.join(toolenv.REPO, name), os.path.join(folder, name))
        build = subprocess.run([grist, "build", "pipelines/sample.yaml", "--workers", "2"], cwd=folder,
                               capture_output=True, text=True)
        if build.returncode != 0:
            raise SystemExit(f"the sample build failed:\n{build.stderr}")
        failures = sum(check(os.path.abspath(path), folder, options.update) for path in files)
    finally:
        if options.keep:
            print(f"examples folder: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    if failures:
        print(f"{failures} Python example(s) of the docs failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
