# Sourced by the other scripts: the tool paths every build and test step needs.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# npm's binaryen first: Debian's wasm-opt 108 writes modules that fail at start-up.
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# wasm-bindgen-test-runner gives the whole browser suite (every test runs in one page) 20 s by
# default, then reports nothing and fails. The suite takes ~20 s on an idle machine, so a busy CI
# machine crossed that line (CI run after 00b1d2a: "0 passed", exit 1). Give it room.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"
