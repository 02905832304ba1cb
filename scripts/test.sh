#!/usr/bin/env bash
# Every test, layer by layer: formatting and clippy; native unit, property, contract and dev-api
# integration tests, and the components rendered to HTML natively (the `ssr` feature); browser
# component tests (wasm-bindgen-test in headless Chromium); the release
# bundle (dist/); end-to-end tests in headless Chromium against dev-api and that bundle. Prints a count
# per layer and the wall time. `scripts/test.sh native browser` runs only the layers named.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

# Every temporary file of the run, Chromium's profiles included (a Chromium that chromedriver ends
# leaves its scoped_dir, ~80 MB, behind), goes under one folder, removed when the run ends.
RUN_TMP="$ROOT/target/tmp/test-run-$$"
mkdir -p "$RUN_TMP"
trap 'rm -rf "$RUN_TMP"' EXIT
export TMPDIR="$RUN_TMP"
LOG_DIR="$(mktemp -d)"
START=$(date +%s)
SUMMARY=()
TOTAL_PASSED=0
TOTAL_FAILED=0
STATUS=0

# run NAME COUNTER COMMAND...: runs a layer, echoes its output, and counts its tests.
run() {
  local name=$1 counter=$2; shift 2
  local log="$LOG_DIR/$name.log" t0=$(date +%s)
  printf '\n\033[1m== %s\033[0m: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local passed failed
  read -r passed failed < <($counter "$log")
  SUMMARY+=("$(printf '%-10s %4d passed %3d failed  %4ds  %s' "$name" "$passed" "$failed" $(( $(date +%s) - t0 )) "$([ "$rc" -eq 0 ] && echo ok || echo "FAILED (exit $rc)")")")
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
  TOTAL_FAILED=$((TOTAL_FAILED + failed))
  [ "$rc" -eq 0 ] || STATUS=1
  return "$rc"
}

# "test result: ok. 12 passed; 0 failed; ..." lines, from cargo and wasm-bindgen-test-runner.
count_cargo() { awk '/test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { print p+0, f+0 }' "$1"; }
# node --test's "# pass N" / "# fail N".
count_node() { awk '/^# pass / { p = $3 } /^# fail / { f = $3 } END { print p+0, f+0 }' "$1"; }
count_none() { echo 0 0; }
# Schemathesis' "2698 generated, 2698 passed" / "646 generated, 8 found 8 unique failures".
count_st() { awk '/ generated, / { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p = $i; if ($(i+1) == "unique") f = $i } } END { print p+0, f+0 }' "$1"; }

# Which layers: all of them, or the ones named (`lint`, `native`, `contract`, `browser`, `e2e`), as
# the Makefile's fast targets do.
LAYERS="${*:-lint native contract browser e2e}"
wants() { [[ " $LAYERS " == *" $1 "* ]]; }

bash scripts/setup.sh || exit 1

if wants lint; then
  run fmt count_none cargo fmt --all --check
  run clippy count_none cargo clippy --workspace --all-targets -- -D warnings
  run clippy-wasm count_none cargo clippy --target wasm32-unknown-unknown --lib --bins --examples --test browser -- -D warnings
  run clippy-ssr count_none cargo clippy -p article-widget --no-default-features --features ssr --lib --test ssr -- -D warnings
fi
if wants native; then
  run native count_cargo cargo test --workspace --all-targets
  run doc count_cargo cargo test --workspace --doc
  # Every public component rendered to HTML natively, as a server would (tests/ssr.rs).
  run ssr count_cargo cargo test -p article-widget --no-default-features --features ssr --test ssr
  # The rustdoc has no broken links or warnings.
  run rustdoc count_none env RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps -p article-widget -p contract
fi
if wants contract; then
  # The contract fuzzer: Schemathesis against a release dev-api.
  run fuzz count_st bash scripts/fuzz-contract.sh
fi
if wants browser; then
  run browser count_cargo cargo test --target wasm32-unknown-unknown --test browser
  # The reuse example builds for the browser.
  run example count_none cargo build --example parts --target wasm32-unknown-unknown
fi
if wants e2e; then
  # The panic hook's test bundle first: it shares the release wasm's path, which the real bundle
  # then overwrites.
  if run bundle-crash count_none env FEATURES=crash-test bash scripts/bundle.sh target/crash-dist \
    && run bundle count_none bash scripts/bundle.sh && run dev-api count_none cargo build -p dev-api; then
    run size count_none bash scripts/check-size.sh
    run e2e count_node node --test --test-concurrency=1 --test-timeout=120000 e2e/
  else
    SUMMARY+=("e2e        skipped: the release bundle or dev-api failed to build")
    STATUS=1
  fi
fi

printf '\n\033[1m== summary\033[0m (wall time %ss)\n' $(( $(date +%s) - START ))
printf '  %s\n' "${SUMMARY[@]}"
rm -rf "$LOG_DIR"
echo "all: $TOTAL_PASSED passed, $TOTAL_FAILED failed"
exit $STATUS
