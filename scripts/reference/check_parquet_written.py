#!/usr/bin/env python3
"""Parquet files written by GristParquet's ParquetWriter, read by pyarrow, polars and DuckDB.

    python3 scripts/reference/check_parquet_written.py [--check-dir DIR] [--no-write] [--skip-large]

1. The golden files, Tests/GristParquetTests/Fixtures/written/NAME.parquet: each reader's rows must
   equal NAME.json's (written beside it by ParquetWriterGoldenTests).
2. Larger files: runs `swift test --filter ParquetWriterCheckFilesTests` with GRIST_PARQUET_CHECK_DIR=DIR
   (a temporary folder unless --check-dir; --no-write reads what DIR holds), which writes 20,000
   FineWeb-like rows in every codec and page version, several row groups of many pages, with
   dictionaries that fall back to PLAIN; each file's rows must equal DIR/expected-documents.jsonl.
Values are compared exactly (floats by their bits, so -0.0 is not 0.0; strings as text). pyarrow also
checks the footer: the schema (strings annotated STRING), row counts, null counts in the statistics,
and the key-value metadata. Prints one line per file and reader; exits 1 on any difference.
Runs itself in .venv-bench (scripts/toolenv; scripts/reference/requirements.txt). `make parquet-check`
runs it. CI does not: Gristmill's tests need no Python.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "toolenv"))
import toolenv  # noqa: E402

GOLDEN_DIR = os.path.join(toolenv.REPO, "Tests", "GristParquetTests", "Fixtures", "written")
KINDS = {"string": "string", "int64": "int64", "double": "double", "boolean": "bool"}


def same(a, b) -> bool:
    """Exact equality: floats by their bits (NaN equals NaN, -0.0 differs from 0.0), bools apart from ints."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, float) and isinstance(b, float) and struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def first_difference(expected: list[list], actual: list[list]) -> str | None:
    if len(expected) != len(actual):
        return f"{len(actual)} rows, expected {len(expected)}"
    for index, (want, got) in enumerate(zip(expected, actual)):
        if len(want) != len(got):
            return f"row {index}: {len(got)} values, expected {len(want)}"
        for column, (a, b) in enumerate(zip(want, got)):
            if not same(a, b):
                return f"row {index} column {column}: {short(b)}, expected {short(a)}"
    return None


def short(value) -> str:
    text = repr(value)
    return text if len(text) < 80 else text[:77] + "..."


def read_pyarrow(path: str) -> list[list]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return [list(row) for row in zip(*columns)]


def read_polars(path: str) -> list[list]:
    import polars as pl

    return [list(row) for row in pl.read_parquet(path).rows()]


def read_duckdb(path: str) -> list[list]:
    import duckdb

    connection = duckdb.connect()
    try:
        # file_row_number keeps the file's order whatever the threads do
        rows = connection.execute(
            "SELECT * EXCLUDE (file_row_number) FROM read_parquet(?, file_row_number = true) ORDER BY file_row_number",
            [path]).fetchall()
    finally:
        connection.close()
    return [list(row) for row in rows]


READERS = [("pyarrow", read_pyarrow), ("polars", read_polars), ("duckdb", read_duckdb)]


def check_footer(path: str, columns: list[dict], rows: list[list]) -> str | None:
    """pyarrow's view of the footer: types, nullability, row count, null counts, STRING annotations."""
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    meta = parquet.metadata
    schema = parquet.schema_arrow
    if meta.num_rows != len(rows):
        return f"num_rows {meta.num_rows}, expected {len(rows)}"
    if [f.name for f in schema] != [c["name"] for c in columns]:
        return f"columns {[f.name for f in schema]}"
    for index, column in enumerate(columns):
        field = schema.field(index)
        if str(field.type) != KINDS[column["kind"]] or field.nullable != column["nullable"]:
            return f"column {column['name']}: {field.type} nullable={field.nullable}"
        leaf = parquet.schema.column(index)
        if column["kind"] == "string" and (str(leaf.logical_type) != "String" or leaf.converted_type != "UTF8"):
            return f"column {column['name']}: logical type {leaf.logical_type}, converted {leaf.converted_type}"
        nulls = 0
        for group in range(meta.num_row_groups):
            stats = meta.row_group(group).column(index).statistics
            if stats is None or not stats.has_null_count:
                return f"column {column['name']}: no null count in row group {group}"
            nulls += stats.null_count
        expected_nulls = sum(1 for row in rows if row[index] is None)
        if nulls != expected_nulls:
            return f"column {column['name']}: null_count {nulls}, expected {expected_nulls}"
    return None


def check_file(path: str, columns: list[dict], rows: list[list]) -> bool:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    pages = f"{meta.num_row_groups} row group(s), {os.path.getsize(path):,} bytes"
    ok = True
    problem = check_footer(path, columns, rows)
    print(f"  {os.path.basename(path):<44} footer   {'ok' if problem is None else 'FAIL: ' + problem}  ({pages})")
    ok &= problem is None
    for name, read in READERS:
        try:
            problem = first_difference(rows, read(path))
        except Exception as error:  # a reader that refuses the file is a failure to report, not a crash
            problem = f"{type(error).__name__}: {error}"
        print(f"  {'':<44} {name:<8} {'ok' if problem is None else 'FAIL: ' + problem}"
              + (f"  ({len(rows):,} rows)" if problem is None else ""))
        ok &= problem is None
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check-dir", help="where the larger files are written (default: a temporary folder)")
    parser.add_argument("--no-write", action="store_true", help="read the files --check-dir holds, do not run swift")
    parser.add_argument("--skip-large", action="store_true", help="only the golden files")
    parser.add_argument("--swift", default=os.environ.get("SWIFT", "swift"))
    args = parser.parse_args()
    toolenv.ensure(["pyarrow", "polars", "duckdb"], "scripts/reference/requirements.txt")
    import duckdb
    import polars
    import pyarrow

    print(f"readers: pyarrow {pyarrow.__version__}, polars {polars.__version__}, duckdb {duckdb.__version__}")
    ok = True

    goldens = sorted(glob.glob(os.path.join(GOLDEN_DIR, "*.parquet")))
    if not goldens:
        print(f"no golden files in {GOLDEN_DIR}")
        return 1
    print(f"golden files ({os.path.relpath(GOLDEN_DIR, toolenv.REPO)}):")
    for path in goldens:
        with open(path[: -len(".parquet")] + ".json", encoding="utf-8") as f:
            expected = json.load(f)
        ok &= check_file(path, expected["columns"], expected["rows"])

    if not args.skip_large:
        folder = args.check_dir or tempfile.mkdtemp(prefix="grist-parquet-check-")
        if not args.no_write:
            os.makedirs(folder, exist_ok=True)
            for stale in glob.glob(os.path.join(folder, "*.parquet")):
                os.unlink(stale)
            print(f"writing the larger files into {folder} (swift test --filter ParquetWriterCheckFilesTests)")
            env = dict(os.environ, GRIST_PARQUET_CHECK_DIR=os.path.abspath(folder))
            result = subprocess.run([args.swift, "test", "--filter", "ParquetWriterCheckFilesTests"],
                                    cwd=toolenv.REPO, env=env, capture_output=True, text=True)
            if result.returncode != 0 or "passed after" not in result.stdout + result.stderr:
                print((result.stdout + result.stderr)[-4000:])
                print("swift test failed to write the files")
                return 1
        with open(os.path.join(folder, "expected-documents.jsonl"), encoding="utf-8") as f:
            columns = json.loads(f.readline())["columns"]
            rows = [json.loads(line) for line in f]
        files = sorted(glob.glob(os.path.join(folder, "documents-*.parquet")))
        print(f"larger files ({folder}, {len(rows):,} rows each):")
        if not files:
            print("  none written")
            ok = False
        for path in files:
            ok &= check_file(path, columns, rows)

    print("all readers agree" if ok else "DIFFERENCES FOUND")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
