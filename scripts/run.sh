#!/usr/bin/env bash
# make run: migrate, load the demo, start a Celery worker beside the web server; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-${PORT:-8000}}"
PY=.venv/bin/python

$PY manage.py migrate --no-input
demo=$($PY manage.py load_demo)
echo "$demo"
seed_url=$(sed -n 's|.* at \(/researchers/[^ ]*\)$|\1|p' <<<"$demo")

.venv/bin/celery -A bzpeer worker --loglevel=INFO --concurrency=1 &
worker=$!
cleanup() {
    kill "$worker" 2>/dev/null || true
    wait "$worker" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

echo
echo "BZPEER is serving http://127.0.0.1:${PORT}/"
echo "The seed researcher: http://127.0.0.1:${PORT}${seed_url}"
echo "Database: ${DATABASE_URL:-SQLite in var/db.sqlite3} · broker: ${REDIS_URL:-filesystem queue in var/celery/}"
echo "Ctrl-C stops the web server and the worker."
echo
$PY manage.py runserver "127.0.0.1:${PORT}" --noreload
