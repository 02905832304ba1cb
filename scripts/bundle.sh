#!/usr/bin/env bash
# The embed bundle: dist/ with stable names — article-widget.js (the one file a host page loads; it
# loads the wasm from beside itself and mounts every widget), article-widget_bg.wasm and
# article-widget.css. Host the folder under any path or origin.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

OUT="${1:-dist}"
# KEEP_NAMES=1 keeps function names in the wasm, for profiles and `twiggy` (a larger file; never ship it).
if [ "${KEEP_NAMES:-0}" = 1 ]; then NAMES=(--keep-debug); OPT_NAMES=(-g); else NAMES=(); OPT_NAMES=(--strip-debug --strip-producers); fi
# The binary (its main mounts the widgets) links smaller than the cdylib, which keeps every export of
# every dependency; the binary still exports the library's `mount`.
cargo build --bin article-widget --release --target wasm32-unknown-unknown
rm -rf "$OUT"
mkdir -p "$OUT"
wasm-bindgen --target web --no-typescript "${NAMES[@]}" --out-dir "$OUT" --out-name article-widget \
  target/wasm32-unknown-unknown/release/article-widget.wasm
# npm's binaryen (see env.sh); the features are the ones Rust's wasm32 target enables.
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "${OPT_NAMES[@]}" \
  "$OUT/article-widget_bg.wasm" -o "$OUT/article-widget_bg.wasm"
# Start by itself: a module script that loads the wasm beside it (import.meta.url, so any folder or
# origin works) and runs the binary's main, which mounts the widgets.
cat >> "$OUT/article-widget.js" <<'JS'

// article-widget: load the wasm from beside this file and mount every [data-article-widget].
await __wbg_init({ module_or_path: new URL('article-widget_bg.wasm', import.meta.url) });
JS
cp style/article-widget.css "$OUT/article-widget.css"
for f in article-widget.js article-widget_bg.wasm article-widget.css; do
  printf '  %-24s %8d bytes  %7d gzip\n' "$f" "$(stat -c %s "$OUT/$f")" "$(gzip -9c "$OUT/$f" | wc -c)"
done
