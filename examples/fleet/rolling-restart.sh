#!/bin/sh
# Restarts the example fleet's relays one after the other without dropping a call: each is drained (tern drain:
# new Allocates are sent to the others with 300 Try Alternate, /health/ready turns 503, live allocations go on
# until they end or relay.drain_deadline), waited for until it has left the fleet and exited, then started again.
set -eu
. "$(cd "$(dirname "$0")" && pwd)/env.sh"
for n in 1 2 3; do
    java -jar "$TERN_JAR" drain --config "$here/relay-$n.yaml" --wait
    await_exit "$TERN_FLEET_STATE/relay-$n.pid"
    "$here/start-relay.sh" "$n"
done
