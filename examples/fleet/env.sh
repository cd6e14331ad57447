# Sourced by the scripts: the settings of fleet.env, each unless already set in the environment, and the paths.
here=$(cd "$(dirname "$0")" && pwd)
: "${TERN_JAR:=$here/../launcher/target/tern-launcher.jar}"
: "${TERN_FLEET_STATE:=$here/state}"
: "${TERN_TURN_PORT:=3478}"
: "${TERN_HTTP_PORT:=8008}"
: "${TERN_ADMIN_PORT:=9090}"
: "${TERN_REDIS_PORT:=6379}"
: "${TERN_DRAIN_DEADLINE:=2m}"
export TERN_JAR TERN_FLEET_STATE TERN_TURN_PORT TERN_HTTP_PORT TERN_ADMIN_PORT TERN_REDIS_PORT TERN_DRAIN_DEADLINE

# Waits until relay $1 answers /health/ready with 200 (at most 60 s).
await_ready() {
    i=0
    until curl -fsS -o /dev/null "http://127.0.0.$(($1 + 1)):$TERN_ADMIN_PORT/health/ready"; do
        i=$((i + 1))
        if [ "$i" -gt 240 ]; then
            echo "relay $1 is not ready after 60 s; its log:" >&2
            tail -n 40 "$TERN_FLEET_STATE/relay-$1.log" >&2
            return 1
        fi
        sleep 0.25
    done
}

# Waits until the process in pid file $1 has exited, then removes the file. A file gone already (Redis removes its
# own when it exits, so it may vanish between the test and the read) means there is nothing left to wait for.
await_exit() {
    pid=$(cat "$1" 2>/dev/null) || return 0
    await_pid "$pid"
    rm -f "$1"
}

# Waits until process $1 has exited.
await_pid() {
    while kill -0 "$1" 2>/dev/null; do
        sleep 0.25
    done
}
