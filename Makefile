# Gristmill: `make demo` builds the sample pipeline and shows its statistics; `make test` runs the tests.
# Both install missing Debian packages first (apt-get, only for what `dpkg-query` says is missing).

SWIFT      ?= swift
APT_PKGS   ?= libsqlite3-dev libxml2-dev libzstd-dev zlib1g-dev libbz2-dev libopenblas-dev libssl-dev pkg-config
APT_GET    ?= apt-get
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CONFIG     ?= pipelines/sample.yaml
OUT        ?= out/sample
GRIST      := .build/release/grist

.PHONY: all deps build test demo bench bench-collect fuzz fuzz-ci clean

all: build

## deps: install the Debian -dev packages the system-library targets link against (only missing ones).
deps:
	@missing=""; \
	for p in $(APT_PKGS); do \
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

## test: the whole suite (unit tests and end-to-end tests of the real CLI on corpora/).
test: deps
	$(SWIFT) build -c release --product grist
	GRIST_BIN=$(CURDIR)/$(GRIST) $(SWIFT) test

## demo: build the sample pipeline into $(OUT) and print its statistics.
demo: build
	$(GRIST) validate $(CONFIG)
	$(GRIST) build $(CONFIG) --output $(OUT)
	$(GRIST) stats $(OUT)
	$(GRIST) inspect $$(ls $(OUT)/shards/train_*.bin | head -n 1) --documents 1 --max-chars 300

## bench: every benchmark (each bench-<area> target).
bench: bench-collect

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

clean:
	rm -rf .build fuzz/.build out
