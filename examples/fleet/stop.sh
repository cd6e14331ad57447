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
# Read Redis's pid once: it removes its pid file as it exits.
if redis_pid=$(cat "$TERN_FLEET_STATE/redis.pid" 2>/dev/null); then
    kill -TERM "$redis_pid" 2>/dev/null || true
    await_pid "$redis_pid"
fi
