#!/usr/bin/env bash
# A cross-check of `tern-bench compare` with coturn's own load tool instead of ours: coturn and Tern's relay
# in turn (A B A B), each pinned to core 1 with turnutils_peer and turnutils_uclient on core 0, each given one
# unmeasured uclient run (Tern's JIT warms up on it) and then one measured run; prints the server's CPU per
# relayed packet (utime + stime from /proc/PID/stat over the measured run, over twice the echoes uclient got
# back: one client-to-peer and one peer-to-client forward each) and the Tern/coturn ratio per round.
#
# usage: bench/uclient-compare.sh [rounds 2] [clients 100] [interval-ms 4] [messages-per-client 2500]
# needs: coturn (turnserver, turnutils_uclient, turnutils_peer), taskset, python3, bench/target/tern-bench.jar
set -euo pipefail

rounds=${1:-2}
clients=${2:-100}
interval=${3:-4}
messages=${4:-2500}
for pair in "rounds=$rounds" "clients=$clients" "interval-ms=$interval" "messages=$messages"; do
  [[ "${pair#*=}" =~ ^[1-9][0-9]*$ ]] || { echo "${pair%%=*} must be a whole number of at least 1, was '${pair#*=}'" >&2; exit 2; }
done
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/tern-bench.jar"
secret=$(head -c 18 /dev/urandom | base64)
free_udp_port() {
  python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port=$(free_udp_port)
peer_port=$(free_udp_port)
while [ "$peer_port" = "$port" ]; do peer_port=$(free_udp_port); done
work=$(mktemp -d)
server_pid=""
keep_stdin=""
peer_pid=""

for tool in turnserver turnutils_uclient turnutils_peer taskset python3; do
  command -v "$tool" > /dev/null || { echo "$tool not found: install coturn (apt-get install -y coturn)" >&2; exit 2; }
done
[ -f "$jar" ] || { echo "$jar not found: build it with mvn -pl bench -am package -DskipTests" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "needs 2 cores: the server on core 1, the load on core 0" >&2; exit 2; }

stop() {
  [ -n "$peer_pid" ] && kill "$peer_pid" 2> /dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2> /dev/null || true
  [ -n "$keep_stdin" ] && kill "$keep_stdin" 2> /dev/null || true
  wait 2> /dev/null || true
  peer_pid="" server_pid="" keep_stdin=""
}
trap 'stop; rm -rf "$work"' EXIT

ticks() { # utime + stime of $1, in clock ticks
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

start() { # $1: coturn or tern; sets server_pid
  if [ "$1" = coturn ]; then
    taskset -c 1 turnserver -n --listening-ip=127.0.0.1 --listening-port=$port --use-auth-secret \
      --static-auth-secret="$secret" --realm=bench --allow-loopback-peers --no-tcp --no-tls --no-dtls \
      --no-tcp-relay --min-port 20000 --max-port 39999 --relay-threads=1 --no-cli --no-software-attribute \
      --log-file="$work/turnserver.log" --simple-log > /dev/null 2>&1 &
    server_pid=$!
  else
    # The relay process stops when its standard input closes; a fifo held open keeps it running.
    mkfifo "$work/stdin"
    sleep 100000 > "$work/stdin" &
    keep_stdin=$!
    taskset -c 1 java -Xmx1g -cp "$jar" dev.tern.bench.TernRelayMain --port $port --secret "$secret" \
      --threads 1 --ports 40000-59999 < "$work/stdin" > "$work/tern.log" 2>&1 &
    server_pid=$!
  fi
  local up=""
  for _ in $(seq 1 60); do
    if timeout 1 turnutils_stunclient -p "$port" 127.0.0.1 > /dev/null 2>&1; then up=yes; break; fi
    sleep 0.2
  done
  [ -n "$up" ] || { echo "$1 did not answer a STUN Binding on 127.0.0.1:$port" >&2; exit 1; }
  rm -f "$work/stdin"
  taskset -c 0 turnutils_peer -L 127.0.0.1 -p "$peer_port" > /dev/null 2>&1 &
  peer_pid=$!
  sleep 0.5
}

load() { # one uclient run; prints the number of echoes received
  taskset -c 0 turnutils_uclient -W "$secret" -u bench -e 127.0.0.1 -r "$peer_port" -p "$port" -m "$clients" -n "$messages" \
    -l 160 -z "$interval" -c 127.0.0.1 > "$work/uclient.out" 2>&1
  grep -o 'tot_recv_msgs=[0-9]*$' "$work/uclient.out" | tail -1 | cut -d= -f2
}

hz=$(getconf CLK_TCK)
results=()
for round in $(seq 1 "$rounds"); do
  for server in coturn tern; do
    start "$server"
    load > /dev/null
    before=$(ticks "$server_pid")
    echoes=$(load)
    after=$(ticks "$server_pid")
    stop
    us=$(python3 -c "print('%.2f' % (($after - $before) / $hz * 1e6 / (2 * max(1, $echoes))))")
    echo "round $round $server: $echoes echoes of $((clients * messages)), cpu $us us per relayed packet"
    results+=("$us")
  done
done
python3 - "${results[@]}" << 'EOF'
import math, sys
v = [float(x) for x in sys.argv[1:]]
ratios = [v[i + 1] / v[i] for i in range(0, len(v), 2)]
print("Tern/coturn per round: " + ", ".join("%.2f" % r for r in ratios)
      + "; geometric mean %.2f" % math.exp(sum(map(math.log, ratios)) / len(ratios)))
EOF
