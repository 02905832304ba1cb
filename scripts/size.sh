#!/usr/bin/env bash
# The size map (`make size`): what the embed bundle weighs, file by file, and where the wasm's bytes
# go, by crate and by function. Builds the shipping bundle into dist/ and a copy with names kept (for
# twiggy) into target/size-map/; the names change nothing but the name section, which is left out of
# the figures.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

echo "Bundle (dist/), bytes:"
bash scripts/bundle.sh dist | sed -n '/^  file /,$p'
printf '  %-24s %9s %9d\n' "budget (size-budget.txt)" "" "$(grep -o '^[0-9]*' size-budget.txt)"
KEEP_NAMES=1 bash scripts/bundle.sh target/size-map >/dev/null

twiggy top -n 1000000 --format csv target/size-map/article-widget_bg.wasm > target/size-map/items.csv
python3 - target/size-map/items.csv <<'PY'
import csv, re, sys, collections
rows = [r for r in csv.DictReader(open(sys.argv[1])) if not r["Name"].startswith('"function names"')]
code = collections.Counter()
for r in rows:
    name, size = r["Name"], int(r["ShallowSize"])
    if name.startswith("data segment"):
        key = "(data segments)"
    else:
        # The first path segment names the crate: `tachys::…`, `<T as tachys::…>` → the trait's crate.
        m = re.search(r"(?:^|<|as |&)([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::", name)
        key = m.group(1) if m else "(other)"
    code[key] += size
total = sum(code.values())
print(f"\nWasm items by crate (raw bytes, names left out; {total} in all):")
for k, v in code.most_common(20):
    print(f"  {v:8d}  {100 * v / total:5.1f} %  {k}")
print("\nLargest items:")
for r in sorted(rows, key=lambda r: -int(r["ShallowSize"]))[:25]:
    print(f"  {int(r['ShallowSize']):8d}  {r['Name'][:110]}")
PY
