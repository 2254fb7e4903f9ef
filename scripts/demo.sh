#!/usr/bin/env bash
# Start three Borderlink nodes — Viet Nam, Laos and Cambodia — each with its own
# SQLite database, web server and worker, peered with each other, with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
BASE="${BORDERLINK_DEMO_DIR:-$PWD/var/demo}"
NODES="VN:${DEMO_PORT_VN:-8001} LA:${DEMO_PORT_LA:-8002} KH:${DEMO_PORT_KH:-8003}"
PIDS=()
# Ctrl-C stops the demo cleanly: the servers and workers run in their own sessions (setsid), so the
# terminal's SIGINT reaches only this script, which asks each of them to stop (SIGTERM), waits, and exits 0.
stop() {
  trap - INT TERM EXIT
  if [ "${#PIDS[@]}" -gt 0 ]; then
    echo; echo "Stopping the demo nodes..."
    kill -TERM "${PIDS[@]}" 2>/dev/null || true
    wait "${PIDS[@]}" 2>/dev/null || true
    echo "Stopped. The data stays in $BASE (delete it to start afresh)."
  fi
  exit 0
}
trap stop INT TERM
trap 'kill -TERM "${PIDS[@]}" 2>/dev/null || true' EXIT

node_env() {  # node_env CC PORT -> exports the node's settings
  local cc="$1" port="$2" lc
  lc="$(echo "$1" | tr 'A-Z' 'a-z')"
  export BORDERLINK_DATA_DIR="$BASE/$lc"
  export BORDERLINK_NODE_COUNTRY="$cc" BORDERLINK_NODE_NAME="borderlink-$lc" BORDERLINK_NODE_URL="http://127.0.0.1:$port"
  export BORDERLINK_SECRET_KEY_FILE="$BORDERLINK_DATA_DIR/secret_key"
  export BORDERLINK_SECURE_COOKIES=false BORDERLINK_ALLOWED_HOSTS="localhost,127.0.0.1"
  unset DATABASE_URL
}

for node in $NODES; do
  node_env "${node%%:*}" "${node##*:}"
  mkdir -p "$BORDERLINK_DATA_DIR"
  [ -s "$BORDERLINK_SECRET_KEY_FILE" ] || { $PY -c 'import secrets; print(secrets.token_urlsafe(50))' > "$BORDERLINK_SECRET_KEY_FILE"; chmod 600 "$BORDERLINK_SECRET_KEY_FILE"; }
  $PY manage.py migrate --verbosity 0
  $PY manage.py collectstatic --noinput --verbosity 0
  $PY manage.py node_keygen --if-missing >/dev/null
  $PY manage.py node_card export "$BORDERLINK_DATA_DIR/card.json" >/dev/null
done

# Peer every node with the two others. (Between ministries the fingerprint is read out by phone.)
for node in $NODES; do
  node_env "${node%%:*}" "${node##*:}"
  $PY manage.py load_demo --country "${node%%:*}" --skip-content >/dev/null
  for other in $NODES; do
    [ "$other" = "$node" ] && continue
    card="$BASE/$(echo "${other%%:*}" | tr 'A-Z' 'a-z')/card.json"
    fp="$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["fingerprint"])' "$card")"
    $PY manage.py node_card import "$card" --fingerprint "$fp" >/dev/null
  done
done

for node in $NODES; do
  node_env "${node%%:*}" "${node##*:}"
  $PY manage.py load_demo --country "${node%%:*}"
  setsid $PY -m gunicorn borderlink.wsgi:application --bind "127.0.0.1:${node##*:}" --workers 2 --no-control-socket \
    --limit-request-line 8190 --access-logfile "$BORDERLINK_DATA_DIR/access.log" --error-logfile "$BORDERLINK_DATA_DIR/web.log" &
  PIDS+=($!)
  setsid $PY manage.py worker --interval 1 >"$BORDERLINK_DATA_DIR/worker.log" 2>&1 &
  PIDS+=($!)
done

for node in $NODES; do
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "http://127.0.0.1:${node##*:}/login/" && break
    sleep 0.2
  done
done

# Cambodia answers the demo joint case's invitation once it has arrived (the workers carry it).
for node in $NODES; do
  [ "${node%%:*}" = KH ] || continue
  node_env KH "${node##*:}"
  $PY manage.py load_demo --country KH --answer-case-invitations || true
done

# The demo victims' path across Cambodia and Laos: each node takes the steps it can as envelopes arrive.
for _ in $(seq 1 8); do
  for cc in LA KH; do
    for node in $NODES; do [ "${node%%:*}" = "$cc" ] && node_env "$cc" "${node##*:}"; done
    $PY manage.py demo_victims >/dev/null
  done
  sleep 2
done

# The demo cooperation plan: Viet Nam proposes and approves, Cambodia approves, each side reports progress.
for _ in $(seq 1 6); do
  for cc in VN KH; do
    for node in $NODES; do [ "${node%%:*}" = "$cc" ] && node_env "$cc" "${node##*:}"; done
    $PY manage.py demo_plans >/dev/null
  done
  sleep 2
done

# An officer of Quảng Trị checks a Savannakhet border pass at Lao Bảo: the Lao node answers, signed.
node_env VN "${NODES%% *}" >/dev/null
$PY manage.py check_pass SVK-2026-0001 --user vn.officer --country LA --gate "Lao Bảo" || true
$PY manage.py demo_info --nodes "$NODES" --data-dir "$BASE"
echo "Press Ctrl-C to stop the demo."
wait || true
