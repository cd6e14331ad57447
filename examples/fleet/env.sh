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

# Waits until the process in pid file $1 has exited (at most the drain deadline and a minute).
await_exit() {
    [ -f "$1" ] || return 0
    pid=$(cat "$1")
    while kill -0 "$pid" 2>/dev/null; do
        sleep 0.25
    done
    rm -f "$1"
}
