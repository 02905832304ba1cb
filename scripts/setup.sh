#!/usr/bin/env bash
# Installs everything the project needs that a fresh machine lacks, and nothing twice:
# the wasm target, wasm-bindgen-cli (pinned to Cargo.lock's wasm-bindgen), Trunk 0.21.14, the npm
# tools (binaryen's wasm-opt, playwright-core), Schemathesis (pip, in .venv-schemathesis/), and
# Debian's Chromium + ChromeDriver.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  # Not --locked: one of its locked dependencies is no longer in the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (a few minutes)"
  # 0.22 needs a newer rustc than this project's 1.95.
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/esbuild ] || [ ! -d node_modules/playwright-core ] \
   || [ ! -d node_modules/axe-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm tools (binaryen, esbuild, playwright-core, axe-core)"
  npm ci --no-audit --no-fund
fi

# The contract fuzzer, pinned with every dependency (scripts/schemathesis-requirements.txt, so that a
# seed generates the same cases next year), in a git-ignored virtual environment
# (scripts/fuzz-contract.sh).
SCHEMATHESIS_VERSION=4.32.5
if [ "$(.venv-schemathesis/bin/st --version 2>/dev/null | awk '{print $3}')" != "$SCHEMATHESIS_VERSION" ] \
   || [ scripts/schemathesis-requirements.txt -nt .venv-schemathesis/pyvenv.cfg ]; then
  say "installing schemathesis $SCHEMATHESIS_VERSION into .venv-schemathesis"
  # Debian's own python3 needs python3-venv for `-m venv` (pyenv's and python.org's have it).
  if ! python3 -c 'import ensurepip' 2>/dev/null; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv
  fi
  rm -rf .venv-schemathesis
  python3 -m venv .venv-schemathesis
  .venv-schemathesis/bin/pip install --quiet --disable-pip-version-check -r scripts/schemathesis-requirements.txt
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing Debian's chromium and chromium-driver"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver
fi

say "ready: $(wasm-bindgen --version), $(trunk --version), wasm-opt $(node_modules/.bin/wasm-opt --version | awk '{print $3}'), schemathesis $(.venv-schemathesis/bin/st --version | awk '{print $3}'), $(/usr/bin/chromium --version 2>/dev/null | head -1)"
