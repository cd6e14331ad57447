#!/usr/bin/env bash
# The floor for a user-space UDP relay on this machine, to set CPU targets against: a C echo server that
# does nothing but recvmmsg/sendmmsg (64 datagrams per call, one socket; bench/floor/udp-echo.c) under the
# load of SOCKETS connected sockets (bench/floor/udp-load.c). Prints the echo server's CPU per echoed datagram
# (one receive and one send, as a relay's one relayed packet), from utime + stime in /proc/PID/stat.
# A relay cannot batch like this across its relay sockets (one per allocation), so this is below any relay.
#
# usage: bench/udp-floor.sh [rounds 2] [sockets 100] [rate-per-socket 500] [seconds 10] [--pinned]
#   --pinned: the echo server on core 1, the load on core 0 (as compare's --server-cpus 1)
# needs: gcc, python3, taskset with --pinned
set -euo pipefail

pinned=""
args=()
for a in "$@"; do
  if [ "$a" = --pinned ]; then pinned=yes; else args+=("$a"); fi
done
rounds=${args[0]:-2}
sockets=${args[1]:-100}
rate=${args[2]:-500}
seconds=${args[3]:-10}
for pair in "rounds=$rounds" "sockets=$sockets" "rate-per-socket=$rate" "seconds=$seconds"; do
  [[ "${pair#*=}" =~ ^[1-9][0-9]*$ ]] || { echo "${pair%%=*} must be a whole number of at least 1, was '${pair#*=}'" >&2; exit 2; }
done
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
echo_pid=""
trap '[ -n "$echo_pid" ] && kill "$echo_pid" 2> /dev/null; rm -rf "$work"' EXIT

command -v gcc > /dev/null || { echo "gcc not found: apt-get install -y gcc" >&2; exit 2; }
gcc -O2 -o "$work/udp-echo" "$here/floor/udp-echo.c"
gcc -O2 -o "$work/udp-load" "$here/floor/udp-load.c"
echo_cpu=() load_cpu=()
if [ -n "$pinned" ]; then echo_cpu=(taskset -c 1); load_cpu=(taskset -c 0); fi
hz=$(getconf CLK_TCK)

for round in $(seq 1 "$rounds"); do
  # udp-echo binds a free port and says which once it is bound: no datagram is sent before.
  "${echo_cpu[@]}" "$work/udp-echo" > "$work/echo.out" &
  echo_pid=$!
  port=""
  for _ in $(seq 1 200); do
    port=$(awk '/^port / { print $2; exit }' "$work/echo.out")
    [ -n "$port" ] && break
    kill -0 "$echo_pid" 2> /dev/null || break
    sleep 0.05
  done
  [ -n "$port" ] || { echo "udp-echo did not start" >&2; exit 1; }
  before=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$echo_pid/stat")
  result=$("${load_cpu[@]}" "$work/udp-load" "$port" "$sockets" "$rate" "$seconds")
  after=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$echo_pid/stat")
  kill "$echo_pid"
  wait "$echo_pid" 2> /dev/null || true
  echo_pid=""
  echoed=${result##* }
  python3 -c "print('round $round: $result; the echo server spent %.2f us per datagram' % (($after - $before) / $hz * 1e6 / max(1, $echoed)))"
done
