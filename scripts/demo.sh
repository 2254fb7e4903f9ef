#!/usr/bin/env bash
# Start one Borderlink node with demo data on the embedded SQLite database:
# migrate, load reference and demo data, start the web server and the worker.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${DEMO_PORT:-8000}"
export BORDERLINK_DATA_DIR="${BORDERLINK_DATA_DIR:-$PWD/var/demo}"
mkdir -p "$BORDERLINK_DATA_DIR"
if [ ! -s "$BORDERLINK_DATA_DIR/secret_key" ]; then
  .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$BORDERLINK_DATA_DIR/secret_key"
  chmod 600 "$BORDERLINK_DATA_DIR/secret_key"
fi
export BORDERLINK_SECRET_KEY_FILE="$BORDERLINK_DATA_DIR/secret_key"
export BORDERLINK_SECURE_COOKIES=false   # plain http on this machine only
export BORDERLINK_ALLOWED_HOSTS="localhost,127.0.0.1"
export BORDERLINK_NODE_COUNTRY="${BORDERLINK_NODE_COUNTRY:-VN}"

PY=.venv/bin/python
$PY manage.py migrate --verbosity 0
$PY manage.py load_demo
$PY manage.py collectstatic --noinput --verbosity 0

$PY -m gunicorn borderlink.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
  --access-logfile "$BORDERLINK_DATA_DIR/access.log" --error-logfile "$BORDERLINK_DATA_DIR/web.log" &
WEB=$!
$PY manage.py worker --interval 1 >"$BORDERLINK_DATA_DIR/worker.log" 2>&1 &
WORKER=$!
trap 'kill $WEB $WORKER 2>/dev/null; wait' INT TERM EXIT

for _ in $(seq 1 50); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/login/" && break
  sleep 0.2
done

$PY manage.py demo_info --url "http://127.0.0.1:$PORT" --data-dir "$BORDERLINK_DATA_DIR"
wait
