# Gristmill: `make demo` builds the sample pipeline and shows its statistics; `make test` runs the tests.
# Both install missing Debian packages first (apt-get, only for what `dpkg-query` says is missing).

SWIFT      ?= swift
APT_PKGS   ?= libsqlite3-dev libxml2-dev libzstd-dev zlib1g-dev libopenblas-dev libssl-dev pkg-config
APT_GET    ?= apt-get
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CONFIG     ?= pipelines/sample.yaml
OUT        ?= out/sample
GRIST      := .build/release/grist

.PHONY: all deps build test demo bench bench-filters clean

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

## bench: every benchmark (side by side with the tools users would pick instead).
bench: bench-filters

## bench-filters: quality filters against datatrove 0.10.1 (agreement and CPU time; venv in .venv-bench/).
bench-filters: build
	python3 bench/filters/run.py
	python3 bench/filters/run.py --documents whole --out out/bench-filters-whole

clean:
	rm -rf .build out
