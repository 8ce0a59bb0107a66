#!/usr/bin/env python3
"""Write the Parquet samples of corpora/formats/ from corpora/python-docs/part-002.jsonl.gz.

Usage: build_parquet.py PYTHON_DOCS_PART OUT_FORMATS
  PYTHON_DOCS_PART: corpora/python-docs/part-002.jsonl.gz (110 documents of the Python 3.11 docs)
  OUT_FORMATS:      corpora/formats

Writes, with pyarrow (pinned in scripts/toolenv/constraints.txt), deterministically:
- parquet/python-docs.parquet: the first 55 documents in a FineWeb-like schema -- text, id, url,
  title, dump, date (timestamp[us, UTC]), language, token_count (int64: GPT-2 tokens, counted with
  tiktoken on Sources/GristTokenize/Resources/gpt2.tiktoken) -- snappy, dictionary encoding on, row groups of 10 rows (6 row groups), data page v1.
- hf/python-docs/: the last 55 documents as a Hugging Face dataset folder, as `huggingface_hub`
  downloads one: README.md with a YAML header (`configs:` with train and test data_files), and
  data/train-00000-of-00002.parquet, data/train-00001-of-00002.parquet,
  data/test-00000-of-00001.parquet (every 5th document is test), zstd, data page v2.
"""
import gzip
import json
import os
import sys
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq
import tiktoken
from tiktoken.load import load_tiktoken_bpe
from tiktoken_ext.openai_public import r50k_pat_str

# GPT-2's ranks as Gristmill ships them (tiktoken would download them); the pattern is r50k_base's.
RANKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Sources", "GristTokenize",
                     "Resources", "gpt2.tiktoken")

DATE = datetime(2023, 3, 1, tzinfo=timezone.utc)
SCHEMA = pa.schema([
    ("text", pa.string()), ("id", pa.string()), ("url", pa.string()), ("title", pa.string()),
    ("dump", pa.string()), ("date", pa.timestamp("us", tz="UTC")), ("language", pa.string()),
    ("token_count", pa.int64()),
])

README = """---
license: psf-2.0
language:
- en
pretty_name: Python 3.11 documentation sample (Gristmill corpora)
configs:
- config_name: default
  data_files:
  - split: train
    path: data/train-*
  - split: test
    path: data/test-*
---
# python-docs

55 pages of the Python 3.11.2 documentation (Debian python3.11-doc 3.11.2-6+deb12u9) as plain text,
laid out as a Hugging Face dataset folder. Written by Gristmill's corpora/scripts/build_parquet.py.
PSF License Agreement; see corpora/LICENSES/python3.11-doc.copyright.
"""


def table(records, encoder):
    columns = {name: [] for name in SCHEMA.names}
    for r in records:
        columns["text"].append(r["text"])
        columns["id"].append(r["id"])
        columns["url"].append(r.get("url"))
        columns["title"].append(r.get("title"))
        columns["dump"].append("python3.11-doc")
        columns["date"].append(DATE)
        columns["language"].append("en")
        columns["token_count"].append(len(encoder.encode_ordinary(r["text"])))
    return pa.table(columns, schema=SCHEMA)


def main():
    part, out = sys.argv[1], sys.argv[2]
    with gzip.open(part, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    assert len(records) == 110, len(records)
    encoder = tiktoken.Encoding(name="gpt2", pat_str=r50k_pat_str, mergeable_ranks=load_tiktoken_bpe(RANKS),
                                special_tokens={"<|endoftext|>": 50256})
    assert encoder.encode("Hello world") == [15496, 995]
    first, last = records[:55], records[55:]

    os.makedirs(os.path.join(out, "parquet"), exist_ok=True)
    pq.write_table(table(first, encoder), os.path.join(out, "parquet", "python-docs.parquet"),
                   compression="snappy", row_group_size=10, use_dictionary=True, data_page_version="1.0",
                   write_statistics=True)

    folder = os.path.join(out, "hf", "python-docs")
    os.makedirs(os.path.join(folder, "data"), exist_ok=True)
    with open(os.path.join(folder, "README.md"), "w", encoding="utf-8") as f:
        f.write(README)
    test = [r for i, r in enumerate(last) if i % 5 == 4]
    train = [r for i, r in enumerate(last) if i % 5 != 4]
    half = len(train) // 2
    files = [("train-00000-of-00002", train[:half]), ("train-00001-of-00002", train[half:]),
             ("test-00000-of-00001", test)]
    for name, rows in files:
        pq.write_table(table(rows, encoder), os.path.join(folder, "data", name + ".parquet"),
                       compression="zstd", compression_level=9, row_group_size=16, data_page_version="2.0")
    print("wrote %d + %d documents (%d train, %d test)" % (len(first), len(last), len(train), len(test)))


if __name__ == "__main__":
    main()
