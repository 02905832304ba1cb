#!/usr/bin/env bash
# The contract, checked from outside: Schemathesis (pinned in scripts/setup.sh, in the git-ignored
# .venv-schemathesis/) generates requests from openapi.yaml against a release dev-api on a fresh
# database, and checks every answer against the schema (`--checks all --mode all`: examples,
# coverage, fuzzing, and stateful sequences along the schema's links). Settings are in
# schemathesis.toml. A fixed seed and a bounded number of examples keep the run (and CI) predictable;
# FUZZ_SEED and FUZZ_EXAMPLES change them.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

SEED="${FUZZ_SEED:-1}"
EXAMPLES="${FUZZ_EXAMPLES:-200}"
cargo build -p dev-api --release
DIR="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
target/release/dev-api --addr "127.0.0.1:$PORT" --db "$DIR/fuzz.sqlite3" --posts-per-minute 1000000 --reactions-per-minute 1000000 >"$DIR/dev-api.log" 2>&1 &
API=$!
trap 'kill "$API" 2>/dev/null; wait "$API" 2>/dev/null; rm -rf "$DIR"' EXIT
python3 - "$PORT" <<'PY'
import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/articles/openai-microsoft-aws", timeout=1)
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("dev-api did not start within 15 s")
PY
# Bounded in time as well as in cases: a hung server fails the step instead of the CI job.
timeout 600 .venv-schemathesis/bin/st run openapi.yaml --url "http://127.0.0.1:$PORT/api" \
  --checks all --mode all --seed "$SEED" --max-examples "$EXAMPLES" --workers 1 \
  --request-timeout 10 --generation-database none --no-color
