#!/usr/bin/env python3
"""Recaptures the fuzz corpus seeds of Tern's STUN/TURN fuzz tests (issue #16 point 14).

Runs coturn's turnserver on loopback behind a small recording proxy (UDP and TCP), drives it with coturn's
own clients (turnutils_stunclient, turnutils_uclient over UDP and TCP, with turnutils_peer as the peer)
and with headless Chromium (two relay-only RTCPeerConnections, impl-relay/src/test/node/relay-only-browser.js,
TURN over UDP and TCP), and writes what the clients sent (and coturn answered) as seed files:

  codec        stun/.../stun/StunCodecFuzzTestInputs/{parse...,channelData...}/<source>-<n>
               every distinct datagram, both directions, plus the RFC 5769 / RFC 8489 vectors
  requests     impl-relay/.../server/RequestHandlingFuzzTestInputs/everyRequest.../<source>
               each client's session in RequestHandlingFuzzTest's record format (messages that carried
               MESSAGE-INTEGRITY are marked to be signed again with the fuzz relay's credentials)
  streams      impl-relay/.../stream/StreamFramingFuzzTestInputs/{decoder...,sniffing...}/<source>
               each TCP connection's client-to-server bytes, after a read-size byte

Needs: coturn (turnserver, turnutils_*), chromium and `npm ci` in impl-relay/src/test/node for the browser part.
Usage: python3 bench/fuzz-seeds.py [--no-browser]
Only loopback is used. The captures are committed; CI replays them and does not run this script.
"""

import base64
import hashlib
import hmac
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RES = os.path.join(ROOT, "impl-relay", "src", "test", "resources", "dev", "tern", "relay")
CODEC = os.path.join(ROOT, "stun", "src", "test", "resources", "dev", "tern", "stun", "StunCodecFuzzTestInputs")
PARSE = os.path.join(CODEC, "parseNeverThrowsAndReadsBackWhatItAccepted")
CHANNEL_DATA = os.path.join(CODEC, "channelDataHeaderNeverReadsPastTheDatagram")
REQUESTS = os.path.join(RES, "server", "RequestHandlingFuzzTestInputs", "everyRequestIsAnsweredAndNothingLeaks")
DECODER = os.path.join(RES, "stream", "StreamFramingFuzzTestInputs", "decoderCutsAnyStreamIntoWholeFramesOrClosesIt")
SNIFFER = os.path.join(RES, "stream", "StreamFramingFuzzTestInputs", "sniffingConnectionSurvivesAnyFirstBytes")
SECRET = "tern-fuzz-capture-secret-0123456789"
REALM = "tern.test"
COOKIE = 0x2112A442

RFC_VECTORS = {
    "rfc5769-2.1-short-term-request": "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74"
    "002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249"
    "c1b571a280280004e57a3bcf",
    "rfc5769-2.2-ipv4-response": "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f72200020000800"
    "01a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96",
    "rfc5769-2.3-ipv6-response": "010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f72200020001400"
    "02a1470113a9faa5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf11784c97c8292c275bfe3ed4180280004c8fb0b4c",
    "rfc5769-2.4-long-term-request": "000100602112a44278ad3433c6ad72c029da412e00060012e3839ee38388e383aae38383e382af"
    "e382b900000015001c662f2f3439396b39353464364f4c33346f4c394653547679363473410014000b6578616d706c652e6f726700000800"
    "14f67024656dd64a3e02b8e0712e85c9a28ca89666",
    "rfc8489-b.1-sha256-request": "000100902112a44278ad3433c6ad72c029da412e001e00204a3cf38fef6992bda952c6780417da0f"
    "24819415569e60b205c46e41407f1704001500296f624d61744a6f733241414143662f2f3439396b39353464364f4c33346f4c3946535476"
    "79363473410000000014000b6578616d706c652e6f726700001d000400020000001c0020b5c7bf005b6c52a21c51c5e892f81924136296cb"
    "927c43149309278cc6518e65",
}


def free_port(kind=socket.SOCK_DGRAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """A UDP and TCP proxy on one loopback port in front of the server; records both directions."""

    def __init__(self, server_port):
        self.server_port = server_port
        self.port = free_port()
        self.lock = threading.Lock()
        self.udp = {}          # client address -> list of (direction, bytes)
        self.tcp = []          # list of bytearray (client to server stream per connection)
        self.stopping = False
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.settimeout(0.2)
        self.tcp_listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp_listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp_listener.bind(("127.0.0.1", self.port))
        self.tcp_listener.listen(16)
        self.tcp_listener.settimeout(0.2)
        self.upstream = {}     # client address -> socket towards the server
        self.threads = [threading.Thread(target=self._udp_loop, daemon=True),
                        threading.Thread(target=self._tcp_accept, daemon=True)]
        for t in self.threads:
            t.start()

    def _record(self, client, direction, data):
        with self.lock:
            self.udp.setdefault(client, []).append((direction, bytes(data)))

    def _udp_loop(self):
        while not self.stopping:
            try:
                data, client = self.listener.recvfrom(65535)
            except socket.timeout:
                continue
            up = self.upstream.get(client)
            if up is None:
                up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                up.bind(("127.0.0.1", 0))
                up.connect(("127.0.0.1", self.server_port))
                self.upstream[client] = up
                threading.Thread(target=self._udp_back, args=(client, up), daemon=True).start()
            self._record(client, "c2s", data)
            up.send(data)

    def _udp_back(self, client, up):
        up.settimeout(0.2)
        while not self.stopping:
            try:
                data = up.recv(65535)
            except socket.timeout:
                continue
            except OSError:
                continue
            self._record(client, "s2c", data)
            self.listener.sendto(data, client)

    def _tcp_accept(self):
        while not self.stopping:
            try:
                conn, _ = self.tcp_listener.accept()
            except socket.timeout:
                continue
            stream = bytearray()
            with self.lock:
                self.tcp.append(stream)
            up = socket.create_connection(("127.0.0.1", self.server_port))
            threading.Thread(target=self._pipe, args=(conn, up, stream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(up, conn, None), daemon=True).start()

    def _pipe(self, src, dst, record):
        src.settimeout(0.2)
        while not self.stopping:
            try:
                data = src.recv(65535)
            except socket.timeout:
                continue
            except OSError:
                break
            if not data:
                break
            if record is not None:
                with self.lock:
                    record.extend(data)
            try:
                dst.sendall(data)
            except OSError:
                break
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def take(self):
        """The recorded UDP sessions and TCP streams so far, and forgets them."""
        with self.lock:
            udp, tcp = self.udp, [bytes(s) for s in self.tcp if s]
            self.udp, self.tcp = {}, []
        for up in self.upstream.values():
            up.close()
        self.upstream = {}
        return udp, tcp

    def close(self):
        self.stopping = True
        for t in self.threads:
            t.join(1)
        self.listener.close()
        self.tcp_listener.close()


def rest_credentials(user):
    username = "%d:%s" % (int(time.time()) + 3600, user)
    password = base64.b64encode(hmac.new(SECRET.encode(), username.encode(), hashlib.sha1).digest()).decode()
    return username, password


def run(command, seconds, cwd=None):
    print("  $ " + " ".join(command), flush=True)
    try:
        subprocess.run(command, cwd=cwd, timeout=seconds, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        print("    (stopped after %d s)" % seconds, flush=True)
    time.sleep(0.5)


def attribute_types(message):
    """The attribute types of a STUN message, in order."""
    types = []
    pos = 20
    while pos + 4 <= len(message):
        kind, length = struct.unpack_from("!HH", message, pos)
        types.append(kind)
        pos += 4 + ((length + 3) & ~3)
    return types


def is_stun(data):
    return len(data) >= 20 and data[0] < 0x40 and struct.unpack_from("!I", data, 4)[0] == COOKIE


def session_record(messages, client_index):
    """RequestHandlingFuzzTest's records for what one client sent: signed again where it was signed."""
    out = bytearray()
    for data in messages:
        op = client_index & 3
        types = attribute_types(data) if is_stun(data) else []
        if 0x0008 in types or 0x001C in types:
            op |= 4
            if 0x001C in types:
                op |= 8
            if types[-1] == 0x8028:
                op |= 16
        out += bytes([op]) + struct.pack("!H", min(len(data), 0xFFFF)) + data[:0xFFFF]
    return bytes(out)


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def save(source, udp, tcp):
    seen = set()
    n = 0
    sessions = []
    for client, messages in udp.items():
        sent = [d for (direction, d) in messages if direction == "c2s"]
        sessions.append(sent)
        for direction, d in messages:
            if d in seen:
                continue
            seen.add(d)
            n += 1
            target = PARSE if is_stun(d) else CHANNEL_DATA if d and 0x40 <= d[0] <= 0x7F else None
            if target:
                write(target, "%s-%s-%03d" % (source, direction, n), d)
    # One session file per source: what each client sent, in order, one client (0 to 3) after the other.
    record = bytearray([0x18])  # settings: no secure STUN, no SOFTWARE, no strict expiry, unlimited quota
    for index, sent in enumerate(sessions[:4]):
        record += session_record(sent[:200], index)
    if sessions:
        write(REQUESTS, source, bytes(record))
    for i, stream in enumerate(tcp[:4]):
        write(DECODER, "%s-tcp-%d" % (source, i), b"\x00" + stream[:65536])
        write(DECODER, "%s-tcp-%d-in-7-byte-reads" % (source, i), b"\x07" + stream[:65536])
        write(SNIFFER, "%s-tcp-%d" % (source, i), b"\x00" + stream[:4096])
    print("  %s: %d datagrams, %d sessions, %d TCP streams" % (source, n, len(sessions), len(tcp)), flush=True)


def main():
    browser = "--no-browser" not in sys.argv
    for d in (PARSE, CHANNEL_DATA, REQUESTS, DECODER, SNIFFER):
        os.makedirs(d, exist_ok=True)
    for name, hexdata in RFC_VECTORS.items():
        write(PARSE, name, bytes.fromhex(hexdata))
    for tool in ("turnserver", "turnutils_uclient", "turnutils_stunclient", "turnutils_peer"):
        if not shutil.which(tool):
            sys.exit("%s not found: apt-get install -y coturn" % tool)
    work = tempfile.mkdtemp(prefix="tern-fuzz-seeds")
    server_port, peer_port = free_port(), free_port()
    low = 20000 + (os.getpid() % 200) * 100
    server = subprocess.Popen(["turnserver", "-n", "--use-auth-secret", "--static-auth-secret=" + SECRET,
                               "--realm=" + REALM, "--allow-loopback-peers", "--listening-ip=127.0.0.1",
                               "--relay-ip=127.0.0.1", "--listening-port=%d" % server_port,
                               "--min-port=%d" % low, "--max-port=%d" % (low + 99), "--no-cli", "--no-tls",
                               "--no-dtls", "--log-file=stdout", "--pidfile=%s/turnserver.pid" % work,
                               "--userdb=%s/turnserver.sqlite" % work],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peer = subprocess.Popen(["turnutils_peer", "-L", "127.0.0.1", "-p", str(peer_port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    recorder = Recorder(server_port)
    try:
        time.sleep(1.5)
        user, password = rest_credentials("@fuzz:tern.test")
        run(["turnutils_stunclient", "-p", str(recorder.port), "127.0.0.1"], 10)
        save("coturn-stunclient", *recorder.take())
        common = ["-u", user, "-w", password, "-e", "127.0.0.1", "-r", str(peer_port), "-p", str(recorder.port),
                  "-n", "5", "-m", "1", "-l", "120", "-z", "5", "-X", "127.0.0.1"]
        run(["turnutils_uclient"] + common + ["127.0.0.1"], 30)
        save("coturn-uclient-udp", *recorder.take())
        run(["turnutils_uclient", "-c", "-s"] + common + ["127.0.0.1"], 30)
        save("coturn-uclient-udp-send-indications", *recorder.take())
        run(["turnutils_uclient", "-t"] + common + ["127.0.0.1"], 30)
        save("coturn-uclient-tcp", *recorder.take())
        if browser:
            script = os.path.join(ROOT, "impl-relay", "src", "test", "node", "relay-only-browser.js")
            for transport in ("udp", "tcp"):
                user, password = rest_credentials("@chromium:tern.test")
                url = "turn:127.0.0.1:%d?transport=%s" % (recorder.port, transport)
                run(["node", script, url, user, password, "3"], 90, cwd=os.path.dirname(script))
                save("chromium-" + transport, *recorder.take())
    finally:
        recorder.close()
        for p in (peer, server):
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
