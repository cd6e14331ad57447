# A UDP socket inside a network namespace, driven line by line on stdin by KernelForwarderVethIT:
#   send HOST PORT HEX   -> sends the bytes (HEX "-" = empty), answers "sent"
#   recv SECONDS         -> answers "got HOST PORT HEX" or "none"
#   nocheck              -> IPv4 datagrams leave with a zero (no) UDP checksum (SO_NO_CHECK), answers "ok"
#   pmtudisc MODE        -> sets IP_MTU_DISCOVER (0 DONT: no DF, 2 DO: DF on every IPv4 datagram), answers "ok"
# First line out: "bound PORT".
import select
import socket
import sys

address = sys.argv[1]
family = socket.AF_INET6 if ":" in address else socket.AF_INET
sock = socket.socket(family, socket.SOCK_DGRAM)
sock.bind((address, 0))
print("bound", sock.getsockname()[1], flush=True)
for line in sys.stdin:
    parts = line.split()
    if not parts:
        continue
    if parts[0] == "send":
        data = b"" if parts[3] == "-" else bytes.fromhex(parts[3])
        sock.sendto(data, (parts[1], int(parts[2])))
        print("sent", flush=True)
    elif parts[0] == "nocheck":
        sock.setsockopt(socket.SOL_SOCKET, 11, 1)  # SO_NO_CHECK
        print("ok", flush=True)
    elif parts[0] == "pmtudisc":
        sock.setsockopt(socket.IPPROTO_IP, 10, int(parts[1]))  # IP_MTU_DISCOVER
        print("ok", flush=True)
    elif parts[0] == "recv":
        ready, _, _ = select.select([sock], [], [], float(parts[1]))
        if ready:
            data, peer = sock.recvfrom(65535)
            print("got", peer[0], peer[1], data.hex() or "-", flush=True)
        else:
            print("none", flush=True)
