#!/bin/sh
# Stops the example fleet: SIGTERM drains each relay (as systemctl stop does), then Redis stops.
set -eu
. "$(cd "$(dirname "$0")" && pwd)/env.sh"
for n in 1 2 3; do
    pidfile="$TERN_FLEET_STATE/relay-$n.pid"
    if [ -f "$pidfile" ]; then
        kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    fi
done
for n in 1 2 3; do
    await_exit "$TERN_FLEET_STATE/relay-$n.pid"
done
if [ -f "$TERN_FLEET_STATE/redis.pid" ]; then
    kill -TERM "$(cat "$TERN_FLEET_STATE/redis.pid")" 2>/dev/null || true
    await_exit "$TERN_FLEET_STATE/redis.pid"
fi
