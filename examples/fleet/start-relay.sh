#!/bin/sh
# Starts relay N (1, 2 or 3) of the example fleet in the background and waits until it is ready.
set -eu
. "$(cd "$(dirname "$0")" && pwd)/env.sh"
n=$1
mkdir -p "$TERN_FLEET_STATE/relay-$n"
nohup java -jar "$TERN_JAR" serve --config "$here/relay-$n.yaml" >>"$TERN_FLEET_STATE/relay-$n.log" 2>&1 &
echo $! >"$TERN_FLEET_STATE/relay-$n.pid"
await_ready "$n"
echo "relay $n ready (udp/tcp 127.0.0.$((n + 1)):$TERN_TURN_PORT)"
