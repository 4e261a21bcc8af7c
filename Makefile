# Kiln's two commands: `make demo` (the golden path on the shipped data) and `make test`.
# Both install missing system packages first (scripts/install-deps is idempotent).

SWIFT ?= swift
# Open MPI refuses to start as root unless told; CI runs as root.
export OMPI_ALLOW_RUN_AS_ROOT := 1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM := 1
# One OpenBLAS thread unless the caller says otherwise: results are reproducible and tests
# running in parallel do not oversubscribe the cores.
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: deps build release demo test bench bench-reference check-report fuzz ui clean

deps:
	@bash scripts/install-deps

build: deps
	$(SWIFT) build

# The demo runs only the CLI: build that product alone, not the benchmarks and test helpers.
release: deps
	$(SWIFT) build -c release --product kiln

demo: release
	bash scripts/demo

# The browser UI over the project's store (kiln ui); its server is its own product, kiln-ui.
ui: release
	$(SWIFT) build -c release --product kiln-ui
	.build/release/kiln ui

test: deps
	bash scripts/run-tests

bench: deps
	bash scripts/bench

bench-reference:
	bash scripts/bench-reference

# libFuzzer over the user-facing parsers, FUZZ_SECONDS (600) per harness, in .build-fuzz; not part of
# `make test` (which replays the corpora and past findings). See scripts/fuzz.
fuzz: deps
	bash scripts/fuzz

# Renders the newest model card (or REPORT=path) in headless Chromium and checks the PNG.
check-report:
	bash scripts/check-report $(REPORT)

clean:
	rm -rf .build .build-fuzz
