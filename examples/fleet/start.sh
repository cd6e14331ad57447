#!/bin/sh
# Starts the example fleet on this machine: redis-server on 127.0.0.1, then three relays on 127.0.0.2, .3 and .4
# (TURN on TERN_TURN_PORT, Matrix endpoints on TERN_HTTP_PORT, admin on TERN_ADMIN_PORT). stop.sh stops it.
set -eu
. "$(cd "$(dirname "$0")" && pwd)/env.sh"
mkdir -p "$TERN_FLEET_STATE"
for secret in turn.secret; do
    [ -f "$TERN_FLEET_STATE/$secret" ] || (umask 077 && openssl rand -hex 32 >"$TERN_FLEET_STATE/$secret")
done
redis-server --bind 127.0.0.1 --port "$TERN_REDIS_PORT" --save '' --appendonly no --dir "$TERN_FLEET_STATE" \
    --daemonize yes --pidfile "$TERN_FLEET_STATE/redis.pid" --logfile "$TERN_FLEET_STATE/redis.log"
# The first relay stores the fleet's nonce key in Redis: start the relays once Redis answers (at most 10 s).
i=0
until redis-cli -h 127.0.0.1 -p "$TERN_REDIS_PORT" ping 2>/dev/null | grep -q PONG; do
    i=$((i + 1))
    if [ "$i" -gt 40 ]; then
        echo "redis-server does not answer after 10 s; its log:" >&2
        tail -n 20 "$TERN_FLEET_STATE/redis.log" >&2
        exit 1
    fi
    sleep 0.25
done
for n in 1 2 3; do
    "$here/start-relay.sh" "$n"
done
