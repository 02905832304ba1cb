#!/usr/bin/env bash
# The dev stack: dev-api on 127.0.0.1:8787 (SQLite in data/) and `trunk serve` on 127.0.0.1:8080,
# which rebuilds on change and proxies /api to dev-api. Ctrl-C stops both.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

cargo build -p dev-api
target/debug/dev-api --db data/dev-api.sqlite3 &
API_PID=$!
trap 'kill $API_PID 2>/dev/null || true' EXIT INT TERM

echo
echo "  article-widget dev page: http://127.0.0.1:8080/  (API: http://127.0.0.1:8787/api)"
echo
trunk serve --offline
