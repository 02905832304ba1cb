# The two commands: `make dev` (set up, then run the dev stack) and `make test` (set up, then run
# every test). Everything else is a piece of those.
.PHONY: dev test test-native test-contract test-browser e2e lint setup dist size clean bench load

# Recipes use bash (scripts/env.sh is bash), whatever shell runs make.
SHELL := /bin/bash

dev:
	bash scripts/setup.sh
	bash scripts/dev.sh

test:
	bash scripts/test.sh

# One layer at a time, for a quick loop: native unit/property/contract/dev-api tests and doctests;
# the contract fuzzer (Schemathesis against dev-api); component tests in headless Chromium;
# end-to-end tests (builds the bundle); fmt and clippy.
test-native:
	bash scripts/test.sh native

test-contract:
	bash scripts/test.sh contract

test-browser:
	bash scripts/test.sh browser

e2e:
	bash scripts/test.sh e2e

lint:
	bash scripts/test.sh lint

setup:
	bash scripts/setup.sh

# The embed bundle in dist/ (article-widget.js, article-widget_bg.wasm, article-widget.css), with
# its sizes. The end-to-end tests load it.
dist: setup
	bash scripts/bundle.sh

# The size map: each file's raw, gzip and brotli size, and the wasm's bytes by crate and function.
size: setup
	bash scripts/size.sh

clean:
	cargo clean
	rm -rf dist data

# The reference API under load, faults and abuse (dev-api/examples/load.rs): reads/s and p50/p99
# with writers, posts/s, a SIGKILL during writes, rotating viewer ids, a very wide comment.
load: setup
	cargo build --release -p dev-api
	cargo run --release -p dev-api --example load

# Benchmarks: each prints its figures against a baseline measured in the same run.
bench: dist
	cargo build -p dev-api
	source scripts/env.sh && node bench/reactions.mjs
	source scripts/env.sh && node bench/thread.mjs
	source scripts/env.sh && node bench/load.mjs
	source scripts/env.sh && node bench/ssr.mjs
	cargo build --release -p dev-api
	cargo run --release -p dev-api --example ssr
