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
for n in 1 2 3; do
    "$here/start-relay.sh" "$n"
done
