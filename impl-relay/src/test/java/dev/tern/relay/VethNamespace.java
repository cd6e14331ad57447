package dev.tern.relay;

import dev.tern.testing.Processes;
import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A network namespace joined to this one by a veth pair on a /30: this side {@code .1} (or {@code .5}), the
 * namespace's side the next address. Names and subnet are random so tests running at once on one host never meet.
 * Closing it deletes the namespace, which takes the veth pair (and any TC filter on it) along. Needs root.
 */
final class VethNamespace implements AutoCloseable {

    private final String name;
    private final String hostLink;
    private final InetAddress hostAddress;
    private final InetAddress namespaceAddress;

    private VethNamespace(String name, String hostLink, InetAddress hostAddress, InetAddress namespaceAddress) {
        this.name = name;
        this.hostLink = hostLink;
        this.hostAddress = hostAddress;
        this.namespaceAddress = namespaceAddress;
    }

    /** Two namespaces on neighbouring /30s of one random 10.x.y.0/29: one for clients, one for peers. */
    static List<VethNamespace> pair() throws IOException, InterruptedException {
        byte[] r = new byte[4];
        new SecureRandom().nextBytes(r);
        String id = HexFormat.of().formatHex(r);
        String prefix = "10." + (100 + (r[0] & 0x7F)) + "." + (r[1] & 0xFF) + ".";
        int base = (r[2] & 0x1F) * 8;
        List<VethNamespace> made = new ArrayList<>();
        try {
            made.add(create("tern-c-" + id, "tc" + id, prefix, base));
            made.add(create("tern-p-" + id, "tp" + id, prefix, base + 4));
            return made;
        } catch (IOException | RuntimeException | InterruptedException e) {
            for (VethNamespace n : made) {
                n.close();
            }
            throw e;
        }
    }

    private static VethNamespace create(String name, String link, String prefix, int base)
            throws IOException, InterruptedException {
        String host = prefix + (base + 1);
        String inside = prefix + (base + 2);
        ip("netns", "add", name);
        VethNamespace ns = new VethNamespace(name, link, InetAddress.getByName(host), InetAddress.getByName(inside));
        try {
            ip("link", "add", link, "type", "veth", "peer", "name", link + "n");
            ip("link", "set", link + "n", "netns", name);
            ip("addr", "add", host + "/30", "dev", link);
            ip("link", "set", link, "up");
            ip("-n", name, "addr", "add", inside + "/30", "dev", link + "n");
            ip("-n", name, "link", "set", link + "n", "up");
            ip("-n", name, "link", "set", "lo", "up");
            return ns;
        } catch (IOException | RuntimeException | InterruptedException e) {
            ns.close();
            throw e;
        }
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Processes.Finished r = Processes.run(command, null, Duration.ofSeconds(10));
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + r.output());
        }
    }

    /** {@code command} run inside the namespace. */
    List<String> exec(List<String> command) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name));
        out.addAll(command);
        return out;
    }

    /** This side's address on the pair. */
    InetAddress hostAddress() {
        return hostAddress;
    }

    /** The namespace's address on the pair. */
    InetAddress namespaceAddress() {
        return namespaceAddress;
    }

    /** The veth's name on this side. */
    String hostLink() {
        return hostLink;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Processes.runAtMost(List.of("ip", "netns", "del", name), null, Duration.ofSeconds(10));
        Processes.runAtMost(List.of("ip", "link", "del", hostLink), null, Duration.ofSeconds(10));
    }
}
