# The two commands: `make dev` (set up, then run the dev stack) and `make test` (set up, then run
# every test). Everything else is a piece of those.
.PHONY: dev test setup dist size clean bench

dev:
	bash scripts/setup.sh
	bash scripts/dev.sh

test:
	bash scripts/test.sh

setup:
	bash scripts/setup.sh

# The embed bundle in dist/ (article-widget.js, article-widget_bg.wasm, article-widget.css), with
# its sizes. The end-to-end tests load it.
dist: setup
	bash scripts/bundle.sh

size: dist

clean:
	cargo clean
	rm -rf dist data

# Benchmarks: each prints its figures against a baseline measured in the same run.
bench: dist
	cargo build -p dev-api
	. scripts/env.sh && node bench/reactions.mjs
	. scripts/env.sh && node bench/thread.mjs
