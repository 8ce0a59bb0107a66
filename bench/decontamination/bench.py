#!/usr/bin/env python3
"""Decontamination benchmark: datatrove's n-gram decontamination vs ours on the same documents and items.

Documents: the shipped corpora (Shakespeare, Python docs, multilingual) and the gzipped text under
/usr/share/doc, cut at blank lines into documents of ~2-8 KB. Eval items: 2,000 runs of 40 words
from Shakespeare, 200 of them also planted (case changed) in Python-docs documents. The Debian
documentation is the clean text: a match there is counted and its first lines printed (false matches).

datatrove side: NGramsDecontFilter (13-grams, xxhash64) with its index written as NGramsDecontIndexer's
compute_hashes would (the indexer's run() needs lighteval). Its English word tokenizer is NLTK's,
which is not installed here (and needs punkt data): a whitespace split stands in, which on text
simplify_text() has already stripped of punctuation differs from NLTK only on contractions like
"cannot" -> "can not". Usage: python3 bench/decontamination/bench.py [BINARY] (`make bench-decontam`; the
venv of scripts/toolenv is made or reused, and the script re-runs itself there).
"""
import glob, gzip, json, os, random, struct, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "toolenv"))
import toolenv  # noqa: E402

toolenv.ensure(["datatrove", "zstandard"], "scripts/reference/requirements.txt")

import datatrove.pipeline.decont.n_grams as ng  # noqa: E402
from datatrove.data import Document  # noqa: E402


class WhitespaceTokenizer:
    def word_tokenize(self, text):
        return text.split()


def shipped():
    import zstandard
    for p in sorted(glob.glob(f"{ROOT}/corpora/shakespeare/*.txt")):
        yield "shakespeare", open(p, encoding="utf-8").read()
    for p in sorted(glob.glob(f"{ROOT}/corpora/python-docs/*.jsonl.*")):
        raw = open(p, "rb").read()
        raw = gzip.decompress(raw) if p.endswith(".gz") else zstandard.ZstdDecompressor().stream_reader(raw).read()
        for line in raw.decode().splitlines():
            yield "python-docs", json.loads(line)["text"]
    for p in sorted(glob.glob(f"{ROOT}/corpora/multilingual/*.jsonl")):
        for line in open(p, encoding="utf-8"):
            yield "multilingual", json.loads(line)["text"]
    for p in sorted(glob.glob("/usr/share/doc/**/*.gz", recursive=True)):
        try:
            yield "debian-doc", gzip.decompress(open(p, "rb").read()).decode("utf-8")
        except Exception:
            continue


def documents():
    docs = []
    for kind, text in shipped():
        parts, cur = text.split("\n\n"), []
        size, target = 0, random.Random(len(docs)).choice([2000, 4000, 8000])
        for part in parts:
            cur.append(part)
            size += len(part) + 2
            if size >= target:
                docs.append((kind, "\n\n".join(cur)))
                cur, size = [], 0
        if cur:
            docs.append((kind, "\n\n".join(cur)))
    return docs


def write(path, texts):
    with open(path, "wb") as f:
        for t in texts:
            b = t.encode("utf-8")
            f.write(struct.pack("<I", len(b)))
            f.write(b)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else f"{ROOT}/.build/release/grist-bench-decontam"
    rng = random.Random(13)
    docs = documents()
    plays = [t.split() for k, t in docs if k == "shakespeare" and len(t.split()) > 60]
    items = []
    while len(items) < 2000:
        words = rng.choice(plays)
        s = rng.randrange(len(words) - 40)
        items.append(" ".join(words[s:s + 40]))
    texts = [t for _, t in docs]
    py_docs = [i for i, (k, _) in enumerate(docs) if k == "python-docs"]
    for item in items[:200]:
        d = rng.choice(py_docs)
        texts[d] = texts[d] + "\n\n" + item.upper() + "\n"
    total = sum(len(t.encode()) for t in texts)
    print(f"{len(texts)} documents, {total / 1e6:.1f} MB, {len(items)} items", file=sys.stderr)

    work = tempfile.mkdtemp(prefix="decont-bench-")
    write(f"{work}/docs.bin", texts)
    write(f"{work}/items.bin", items)

    # datatrove
    ng.load_word_tokenizer = lambda language: WhitespaceTokenizer()
    config = ng.NGramsDecontConfig(n_grams=13, find_query_ngrams=True, find_overlap_ngrams=False)
    t0 = time.process_time()
    hash_func = ng.create_hash_func(config.hash_config)
    hashes = set()
    for item in items:
        tokens = ng.simplify_text(item, config.norm_config).split()
        hashes.update(hash_func(" ".join(g)) for g in ng.ngrams(tokens, 13))
    os.makedirs(f"{work}/index", exist_ok=True)
    import numpy as np
    np.array(sorted(hashes), dtype="<u8").tofile(f"{work}/index/bench.index.hashes")
    t1 = time.process_time()
    filt = ng.NGramsDecontFilter(index_folder=f"{work}/index", config=config)
    dt_flagged = []
    for i, t in enumerate(texts):
        r = filt.filter(Document(text=t, id=str(i)))
        if r is not True:
            dt_flagged.append(i)
    t2 = time.process_time()
    dt = {"index_cpu_s": t1 - t0, "scan_cpu_s": t2 - t1, "us_per_doc": (t2 - t1) / len(texts) * 1e6,
          "mb_per_cpu_s": total / (t2 - t1) / 1e6, "flagged": len(dt_flagged), "ngrams": len(hashes)}
    print("datatrove", json.dumps(dt))

    for mode in ("datatrove", "gpt3"):
        out = subprocess.run([binary, f"{work}/docs.bin", f"{work}/items.bin", f"{work}/flagged-{mode}.txt", mode],
                             check=True, capture_output=True, text=True).stdout
        ours = json.loads(out)
        mine = {int(x) for x in open(f"{work}/flagged-{mode}.txt").read().split()}
        both = mine & set(dt_flagged)
        ours["agreement"] = {"both": len(both), "only_ours": len(mine - both), "only_datatrove": len(set(dt_flagged) - both)}
        ours["cpu_efficiency_vs_datatrove"] = dt["scan_cpu_s"] / ours["scan_cpu_s"]
        # Clean text: the Debian documentation shares nothing with the Shakespeare items, so any match in it
        # would be a false one (or a quotation: the first lines are printed to tell).
        debian = [i for i, (k, _) in enumerate(docs) if k == "debian-doc"]
        hits = sorted(mine & set(debian))
        ours["clean_text"] = {"debian_doc_mb": round(sum(len(texts[i].encode()) for i in debian) / 1e6, 1),
                              "documents": len(debian), "matched": len(hits),
                              "first_matched": [texts[i][:120] for i in hits[:3]]}
        print("ours", json.dumps(ours))


if __name__ == "__main__":
    main()
