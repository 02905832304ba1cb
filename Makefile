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

# The release build in dist/ (what the end-to-end tests load).
dist: setup
	. scripts/env.sh && trunk build --release --offline

# Gzip sizes of the release wasm + JS + CSS.
size: dist
	@cd dist && for f in *.wasm *.js article-widget*.css; do printf '%-45s %8d bytes  %7d gzip\n' "$$f" $$(stat -c %s "$$f") $$(gzip -9c "$$f" | wc -c); done

clean:
	cargo clean
	rm -rf dist data

# Benchmarks: each prints its figures against a baseline measured in the same run.
bench: dist
	cargo build -p dev-api
	. scripts/env.sh && node bench/reactions.mjs
	. scripts/env.sh && node bench/thread.mjs
