#!/usr/bin/env bash
# The embed bundle: dist/ with stable names —
#   article-widget.js        the one file a host page loads: the loader (embed/article-widget.js), which
#                            imports the rest only when a widget needs it;
#   article-widget-wasm.js   wasm-bindgen's glue;
#   article-widget_bg.wasm   the widget;
#   article-widget.css       the stylesheet;
#   article-widget.de.json   a language's texts (and .fr, .ar), fetched only for a widget in it;
# each with .gz and .br copies beside it. Host the folder under any path or origin.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

OUT="${1:-dist}"
# The shipped bundle never carries test features (crash-test exports a deliberate panic).
if [ -n "${FEATURES:-}" ] && [ "$OUT" = dist ]; then
  echo "bundle.sh: FEATURES=$FEATURES is for test bundles; give another folder than dist" >&2
  exit 2
fi
# KEEP_NAMES=1 keeps function names in the wasm, for profiles and `twiggy` (a larger file; never ship it).
if [ "${KEEP_NAMES:-0}" = 1 ]; then NAMES=(--keep-debug); OPT_NAMES=(-g); else NAMES=(); OPT_NAMES=(--strip-debug --strip-producers); fi
# The binary links smaller than the cdylib, which keeps every export of
# every dependency; the binary still exports the library's `mount`.
# FEATURES=crash-test builds the end-to-end tests' bundle with a deliberate panic (src/crash.rs).
# Without the `catalogues` feature: the texts of languages other than English are files beside the
# wasm (below), fetched by the loader for the widgets that need them.
cargo build --bin article-widget --release --target wasm32-unknown-unknown --no-default-features \
  --features "csr${FEATURES:+,$FEATURES}"
rm -rf "$OUT"
mkdir -p "$OUT"
wasm-bindgen --target web --no-typescript "${NAMES[@]}" --out-dir "$OUT" --out-name article-widget-wasm \
  target/wasm32-unknown-unknown/release/article-widget.wasm
# npm's binaryen (see env.sh); the features are the ones Rust's wasm32 target enables. Flattening and
# re-looping before two -Oz rounds was the best of the variants measured (2 KB gzip below -Oz alone,
# for 5 s more; --converge added 0.4 KB for 15 s).
wasm-opt --flatten --rereloop -Oz -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "${OPT_NAMES[@]}" \
  "$OUT/article-widget-wasm_bg.wasm" -o "$OUT/article-widget_bg.wasm"
rm "$OUT/article-widget-wasm_bg.wasm"
node scripts/check-glue-exports.mjs "$OUT/article-widget-wasm.js" "$OUT/article-widget_bg.wasm"
# The loader, and the glue, minified (esbuild from npm, see package.json): 4 KB less gzip. The glue
# is bundled with the widget's own JavaScript (src/components/build.js, which wasm-bindgen puts in
# snippets/): one file, no extra request.
# The catalogues (src/i18n/*.json) as article-widget.{language}.json; the loader is told which exist.
LANGUAGES=()
for catalogue in src/i18n/*.json; do
  language=$(basename "$catalogue" .json)
  LANGUAGES+=("\"$language\"")
  node -e 'const fs = require("fs"); fs.writeFileSync(process.argv[2], JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1], "utf8"))))' \
    "$catalogue" "$OUT/article-widget.$language.json"
done
esbuild embed/article-widget.js --minify --format=esm --log-level=warning --outfile="$OUT/article-widget.js" \
  "--define:CATALOGUES=[$(IFS=,; echo "${LANGUAGES[*]}")]"
esbuild "$OUT/article-widget-wasm.js" --bundle --minify --format=esm --log-level=warning --allow-overwrite \
  --outfile="$OUT/article-widget-wasm.js"
rm -rf "$OUT/snippets"
# The stylesheet, minified the same way: its comments are for the people who read style/ (−1.9 KB
# gzip). esbuild's default target lowers no syntax, so the rules stay as written.
esbuild style/article-widget.css --minify --log-level=warning --outfile="$OUT/article-widget.css"
# Precompressed copies for hosts that serve them (README, "Serving the bundle").
FILES=(article-widget.js article-widget-wasm.js article-widget_bg.wasm article-widget.css)
CATALOGUE_FILES=("$OUT"/article-widget.*.json)
for f in "${FILES[@]/#/$OUT/}" "${CATALOGUE_FILES[@]}"; do gzip -9 -n -k -f "$f"; done
node scripts/compress.mjs "${FILES[@]/#/$OUT/}" "${CATALOGUE_FILES[@]}"
total=0
printf '  %-24s %9s %9s %9s\n' file raw gzip-9 brotli
for f in "${FILES[@]}"; do
  gz=$(stat -c %s "$OUT/$f.gz"); total=$((total + gz))
  printf '  %-24s %9d %9d %9d\n' "$f" "$(stat -c %s "$OUT/$f")" "$gz" "$(stat -c %s "$OUT/$f.br")"
done
printf '  %-24s %9s %9d\n' total "" "$total"
# Fetched only by a page whose widget is in that language, on top of the total.
for f in "${CATALOGUE_FILES[@]}"; do
  printf '  %-24s %9d %9d %9d\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(stat -c %s "$f.gz")" "$(stat -c %s "$f.br")"
done
