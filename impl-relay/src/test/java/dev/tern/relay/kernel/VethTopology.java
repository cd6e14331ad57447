package dev.tern.relay.kernel;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A client namespace and a peer namespace, each joined to this (the relay's) namespace by a veth pair, with
 * addresses from the benchmark ranges 198.18.0.0/15 and fd7e:4e00::/32 picked at random so concurrent tests do not
 * meet. Forwarding is switched on for the two relay-side interfaces only (bpf_fib_lookup needs it on the ingress
 * interface). {@link #close()} deletes both namespaces, which takes the veth pairs with them.
 *
 * @param id the random part of every name
 * @param clientNs the client's namespace
 * @param peerNs the peer's namespace
 * @param clientSide the relay's interface towards the client
 * @param peerSide the relay's interface towards the peer
 * @param subnet the third IPv4 octet and the IPv6 subnet number
 */
public record VethTopology(String id, String clientNs, String peerNs, String clientSide, String peerSide, int subnet)
        implements AutoCloseable {

    /** Builds it with forwarding on; with {@code checksumOffload} false, no veth end computes or trusts checksums. */
    public static VethTopology create(boolean checksumOffload) throws IOException {
        return create(checksumOffload, true);
    }

    /** Builds it; {@code forwarding} false leaves forwarding off on the relay-side interfaces. */
    public static VethTopology create(boolean checksumOffload, boolean forwarding) throws IOException {
        int r = ThreadLocalRandom.current().nextInt(1 << 24);
        String id = String.format("%06x", r);
        VethTopology t = new VethTopology(id, "tern-kc-" + id, "tern-kp-" + id, "tk" + id + "c", "tk" + id + "p",
                r & 0xff);
        try {
            t.build(checksumOffload, forwarding);
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    public InetAddress relayTowardsClient(boolean ipv6) throws IOException {
        return InetAddress.getByName(ipv6 ? v6(1, 1) : "198.18." + subnet + ".1");
    }

    public InetAddress client(boolean ipv6) throws IOException {
        return InetAddress.getByName(ipv6 ? v6(1, 2) : "198.18." + subnet + ".2");
    }

    public InetAddress relayTowardsPeer(boolean ipv6) throws IOException {
        return InetAddress.getByName(ipv6 ? v6(2, 1) : "198.19." + subnet + ".1");
    }

    public InetAddress peer(boolean ipv6) throws IOException {
        return InetAddress.getByName(ipv6 ? v6(2, 2) : "198.19." + subnet + ".2");
    }

    private String v6(int side, int host) {
        return "fd7e:4e00:" + Integer.toHexString(subnet) + ":" + side + "::" + host;
    }

    private void build(boolean checksumOffload, boolean forwarding) throws IOException {
        ip("netns", "add", clientNs);
        ip("netns", "add", peerNs);
        side(clientNs, clientSide, "198.18." + subnet, v6(1, 1), v6(1, 2), checksumOffload, forwarding);
        side(peerNs, peerSide, "198.19." + subnet, v6(2, 1), v6(2, 2), checksumOffload, forwarding);
    }

    private void side(String ns, String relaySide, String v4prefix, String relayV6, String hostV6,
                      boolean checksumOffload, boolean forwarding) throws IOException {
        ip("link", "add", relaySide, "type", "veth", "peer", "name", "veth0", "netns", ns);
        ip("addr", "add", v4prefix + ".1/24", "dev", relaySide);
        ip("-6", "addr", "add", relayV6 + "/64", "dev", relaySide, "nodad");
        ip("link", "set", relaySide, "up");
        ip("-n", ns, "link", "set", "lo", "up");
        ip("-n", ns, "addr", "add", v4prefix + ".2/24", "dev", "veth0");
        ip("-n", ns, "-6", "addr", "add", hostV6 + "/64", "dev", "veth0", "nodad");
        ip("-n", ns, "link", "set", "veth0", "up");
        ip("-n", ns, "route", "add", "default", "via", v4prefix + ".1");
        ip("-n", ns, "-6", "route", "add", "default", "via", relayV6);
        String on = forwarding ? "1" : "0";
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf", relaySide, "forwarding"), on);
        Files.writeString(Path.of("/proc/sys/net/ipv6/conf", relaySide, "forwarding"), on);
        if (!checksumOffload) {
            run("ethtool", "-K", relaySide, "rx", "off", "tx", "off");
            run("ip", "netns", "exec", ns, "ethtool", "-K", "veth0", "rx", "off", "tx", "off");
        }
    }

    private static void ip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    @Override
    public void close() {
        for (String ns : List.of(clientNs, peerNs)) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IOException e) {
                // not created, or already gone
            }
        }
    }
}
