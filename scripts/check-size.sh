#!/usr/bin/env bash
# The size budget, like size-limit for JS: fails when the embed bundle in dist/ (every file a page
# may fetch: loader, glue, wasm, stylesheet, and the largest language catalogue) weighs more, gzip -9,
# than size-budget.txt allows — or when the budget has drifted more than 5 KB above the real size
# (lower it, so it keeps biting).
set -euo pipefail
cd "$(dirname "$0")/.."
budget=$(grep -o '^[0-9]*' size-budget.txt)
total=0
for f in article-widget.js article-widget-wasm.js article-widget_bg.wasm article-widget.css; do
  total=$((total + $(gzip -9 -n -c "dist/$f" | wc -c)))
done
# A page in English fetches no catalogue; one in German, French or Arabic fetches its own.
largest=0
for f in dist/article-widget.*.json; do
  size=$(gzip -9 -n -c "$f" | wc -c)
  if [ "$size" -gt "$largest" ]; then largest=$size; fi
done
echo "bundle: $total bytes gzip -9 in English, $((total + largest)) with the largest catalogue; budget: $budget"
total=$((total + largest))
if grep -q crashTest dist/article-widget-wasm.js; then
  echo "dist/ holds the crash-test build: rebuild it with scripts/bundle.sh" >&2
  exit 1
fi
if [ "$total" -gt "$budget" ]; then
  echo "over budget by $((total - budget)) bytes: see \`make size\` for where they went" >&2
  exit 1
fi
if [ $((budget - total)) -gt 5000 ]; then
  echo "the budget is $((budget - total)) bytes above the bundle: lower size-budget.txt to about $((total + 1000))" >&2
  exit 1
fi
