# Sourced by the other scripts: the tool paths every build and test step needs.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# npm's binaryen first: Debian's wasm-opt 108 writes modules that fail at start-up.
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
