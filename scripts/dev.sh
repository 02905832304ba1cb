#!/usr/bin/env bash
# The dev stack: dev-api on 127.0.0.1:8787 (SQLite in data/) and `trunk serve` on 127.0.0.1:8080,
# which rebuilds on change and proxies /api to dev-api. dev-api also serves Trunk's build of the dev
# page, with its include of the server-rendered article and comments filled in (src/ssr.rs): the
# server-rendered first paint, then the widget taking it over. Ctrl-C stops both.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

cargo build -p dev-api
mkdir -p target/trunk-dist
target/debug/dev-api --db data/dev-api.sqlite3 --static target/trunk-dist &
API_PID=$!
trap 'kill $API_PID 2>/dev/null || true' EXIT INT TERM

echo
echo "  article-widget dev page, server-rendered first: http://127.0.0.1:8787/"
echo "  the same page, all rendered in the browser:       http://127.0.0.1:8080/  (rebuilt on change)"
echo "  the API:                                          http://127.0.0.1:8787/api"
echo
trunk serve --offline
