#!/bin/sh
# `make run`: the demo kiosk, delivering its submissions to a reference server (`citizen-kiosk sandbox`) on loopback,
# so a new user sees them go out (the header shows "Sending", then the queue empties).
# usage: installer/demo.sh PYTHON DEMO_DIR [options of `citizen-kiosk run`]    (SANDBOX_PORT overrides the port, 8765)
set -eu
PY=$1
DEMO=$2
shift 2
PORT=${SANDBOX_PORT:-8765}
mkdir -p "$DEMO"
# The configuration routes every service to the sandbox; its client secret and the payload key live in a credentials
# directory beside it. Written once (again only if the port changed); existing keys are kept.
if ! grep -q "127.0.0.1:$PORT/" "$DEMO/config.toml" 2>/dev/null; then
    "$PY" -m citizen_kiosk --data-dir "$DEMO/sandbox" sandbox write-config "$DEMO/config.toml" --port "$PORT" >/dev/null
fi
# A little latency, so that "Sending" can be seen in the header.
"$PY" -m citizen_kiosk --data-dir "$DEMO/sandbox" sandbox --port "$PORT" --latency-ms 300 \
    >"$DEMO/sandbox.out" 2>"$DEMO/sandbox.log" &
SANDBOX=$!
trap 'kill "$SANDBOX" 2>/dev/null || true' EXIT INT TERM
tries=0
while [ ! -s "$DEMO/sandbox.out" ] && kill -0 "$SANDBOX" 2>/dev/null && [ "$tries" -lt 100 ]; do
    sleep 0.1
    tries=$((tries + 1))
done
if [ ! -s "$DEMO/sandbox.out" ]; then
    echo "The demo's reference server did not start on port $PORT (see $DEMO/sandbox.log); is the port in use? Try SANDBOX_PORT=8766 make run" >&2
    exit 1
fi
# One demo staff account per role; their PINs are printed in the README (demo only: never on a real kiosk).
for account in "Sofia site-manager 246810" "Miguel mediator 135791" "Teresa trainer 112358"; do
    name=${account%% *}; rest=${account#* }; role=${rest%% *}; pin=${rest#* }
    echo "$pin" | "$PY" -m citizen_kiosk --config "$DEMO/config.toml" --data-dir "$DEMO/data" \
        staff add "$name" --role "$role" --exists-ok >/dev/null
done
"$PY" -m citizen_kiosk run --config "$DEMO/config.toml" --data-dir "$DEMO/data" "$@"
