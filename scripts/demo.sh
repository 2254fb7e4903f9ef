#!/usr/bin/env bash
# Start three Borderlink nodes — Viet Nam, Laos and Cambodia — each with its own
# SQLite database, web server and worker, peered with each other, with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
BASE="${BORDERLINK_DEMO_DIR:-$PWD/var/demo}"
NODES="VN:${DEMO_PORT_VN:-8001} LA:${DEMO_PORT_LA:-8002} KH:${DEMO_PORT_KH:-8003}"
PIDS=()
STOP_GRACE=${DEMO_STOP_GRACE:-40}  # seconds Ctrl-C waits for the nodes to stop before killing them
WEB_PIDS=()  # CC:pid of each node's web server
# Ctrl-C stops the demo cleanly: the servers and workers run in their own sessions (setsid), so the
# terminal's SIGINT reaches only this script, which asks each of them to stop (SIGTERM), waits, and exits 0.
stop() {
  trap - INT TERM EXIT
  if [ "${#PIDS[@]}" -gt 0 ]; then
    echo; echo "Stopping the demo nodes..."
    kill -TERM "${PIDS[@]}" 2>/dev/null || true
    # Web servers finish their requests and workers their current task; on a busy machine that can take long.
    # After STOP_GRACE seconds what still runs is killed (SQLite keeps each transaction whole).
    for _ in $(seq 1 $((STOP_GRACE * 2))); do
      running=0
      for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
      [ "$running" = 0 ] && break
      sleep 0.5
    done
    for pid in "${PIDS[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then
        echo "  still running after ${STOP_GRACE} s, killed: pid $pid"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      fi
    done
    wait "${PIDS[@]}" 2>/dev/null || true
    echo "Stopped. The data stays in $BASE (delete it to start afresh)."
  fi
  exit 0
}
trap stop INT TERM
trap 'kill -TERM "${PIDS[@]}" 2>/dev/null || true' EXIT

phase() { echo "demo: $*"; }  # one line per phase, so that a long phase is not silent

# A port another server holds would not be ours: gunicorn would fail to bind, and this demo would print
# and talk to the other server's node. Refuse before starting anything (a bind test, as gunicorn binds).
port_free() {
  $PY - "$1" <<'PYEOF' 2>/dev/null
import socket, sys
with socket.socket() as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(sys.argv[1])))
PYEOF
}
for node in $NODES; do
  if ! port_free "${node##*:}"; then
    echo "demo: port ${node##*:} (for the ${node%%:*} node) is already in use, by another demo or server." >&2
    echo "      Stop that one, or choose free ports: DEMO_PORT_VN=9001 DEMO_PORT_LA=9002 DEMO_PORT_KH=9003 make demo" >&2
    exit 1
  fi
done

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
  phase "${node%%:*} node: database, static files and keys in $BORDERLINK_DATA_DIR (about a minute)..."
  mkdir -p "$BORDERLINK_DATA_DIR"
  [ -s "$BORDERLINK_SECRET_KEY_FILE" ] || { $PY -c 'import secrets; print(secrets.token_urlsafe(50))' > "$BORDERLINK_SECRET_KEY_FILE"; chmod 600 "$BORDERLINK_SECRET_KEY_FILE"; }
  $PY manage.py migrate --verbosity 0
  $PY manage.py collectstatic --noinput --verbosity 0
  $PY manage.py node_keygen --if-missing >/dev/null
  $PY manage.py node_card export "$BORDERLINK_DATA_DIR/card.json" >/dev/null
done

# Peer every node with the two others. (Between ministries the fingerprint is read out by phone.)
phase "peering the three nodes (each imports the others' node cards)..."
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
  phase "${node%%:*} node: demo content, then its web server on http://127.0.0.1:${node##*:}/ and its worker..."
  $PY manage.py load_demo --country "${node%%:*}"
  # Django's own log (requests, tracebacks) goes to the node's django.log, not to this terminal. TZ as the
  # settings' TIME_ZONE, so that gunicorn's start-up lines in web.log carry the same offset as the later ones.
  TZ=Asia/Ho_Chi_Minh setsid $PY -m gunicorn borderlink.wsgi:application --bind "127.0.0.1:${node##*:}" --workers 2 --no-control-socket \
    --limit-request-line 8190 --access-logfile "$BORDERLINK_DATA_DIR/access.log" --error-logfile "$BORDERLINK_DATA_DIR/web.log" \
    >>"$BORDERLINK_DATA_DIR/django.log" 2>&1 &
  PIDS+=($!)
  WEB_PIDS+=("${node%%:*}:$!")
  setsid $PY manage.py worker --interval 1 >"$BORDERLINK_DATA_DIR/worker.log" 2>&1 &
  PIDS+=($!)
done

# Ready when /healthz answers with this node's name (not merely any server on the port).
phase "waiting for the three web servers..."
for node in $NODES; do
  cc="${node%%:*}" lc="$(echo "${node%%:*}" | tr 'A-Z' 'a-z')" ready=no
  pid=""
  for entry in "${WEB_PIDS[@]}"; do [ "${entry%%:*}" = "$cc" ] && pid="${entry##*:}"; done
  for _ in $(seq 1 150); do
    if curl -s "http://127.0.0.1:${node##*:}/healthz" 2>/dev/null | grep -q "\"node\": \"borderlink-$lc\""; then ready=yes; break; fi
    kill -0 "$pid" 2>/dev/null || break  # the server has stopped (a port taken meanwhile, an error)
    sleep 0.2
  done
  if [ "$ready" != yes ]; then
    echo "demo: the $cc node's web server did not start on port ${node##*:}; see $BASE/$lc/web.log and django.log." >&2
    stop_failed=yes
  fi
done
if [ "${stop_failed:-no}" = yes ]; then
  kill -TERM "${PIDS[@]}" 2>/dev/null || true
  wait "${PIDS[@]}" 2>/dev/null || true
  trap - INT TERM EXIT
  exit 1
fi

# Cambodia answers the demo joint case's invitation once it has arrived (the workers carry it).
for node in $NODES; do
  [ "${node%%:*}" = KH ] || continue
  node_env KH "${node##*:}"
  $PY manage.py load_demo --country KH --answer-case-invitations || true
done

# The demo victims' path across Cambodia and Laos: each node takes the steps it can as envelopes arrive.
phase "victims' path across Cambodia and Laos (envelopes between the nodes; a minute or two)..."
for _ in $(seq 1 8); do
  for cc in LA KH; do
    for node in $NODES; do [ "${node%%:*}" = "$cc" ] && node_env "$cc" "${node##*:}"; done
    $PY manage.py demo_victims >/dev/null
  done
  sleep 2
done

# The demo cooperation plan: Viet Nam proposes and approves, Cambodia approves, each side reports progress.
phase "cooperation plan between Viet Nam and Cambodia..."
for _ in $(seq 1 6); do
  for cc in VN KH; do
    for node in $NODES; do [ "${node%%:*}" = "$cc" ] && node_env "$cc" "${node##*:}"; done
    $PY manage.py demo_plans >/dev/null
  done
  sleep 2
done
# The regular liaison meetings of Quảng Trị and Savannakhet: Viet Nam stores the quarterly schedule, which
# proposes the next meetings; Laos accepts; both sides hold the first one and record minutes, decisions and
# action items, each node taking the steps it can as envelopes arrive.
phase "liaison meetings of Quảng Trị and Savannakhet (schedule, meeting, minutes)..."
for _ in $(seq 1 15); do
  finished=no
  for cc in VN LA; do
    for node in $NODES; do [ "${node%%:*}" = "$cc" ] && node_env "$cc" "${node##*:}"; done
    out="$($PY manage.py demo_meetings || true)"
    # finished once the Lao node holds both sides' decisions and action items of the held meeting
    case "$cc:$out" in LA:*"'held': 1,"*"'decisions_by_side': ['invited', 'proposing'], 'items_by_side': ['invited', 'proposing']"*) finished=yes ;; esac
  done
  [ "$finished" = yes ] && break
  sleep 2
done
sleep 2  # Viet Nam answers the item the Lao side gave it once that has arrived
node_env VN "${NODES%% *}" >/dev/null
$PY manage.py demo_meetings >/dev/null || true

# An officer of Quảng Trị checks a Savannakhet border pass at Lao Bảo: the Lao node answers, signed.
phase "a border pass check from Viet Nam to Laos..."
node_env VN "${NODES%% *}" >/dev/null
$PY manage.py check_pass SVK-2026-0001 --user vn.officer --country LA --gate "Lao Bảo" || true
$PY manage.py demo_info --nodes "$NODES" --data-dir "$BASE"
echo "Press Ctrl-C to stop the demo."
wait || true
