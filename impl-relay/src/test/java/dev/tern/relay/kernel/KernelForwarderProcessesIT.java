package dev.tern.relay.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What other processes see of the kernel plane: a crashed process's filter is removed by the next open while a
 * live one's stays, and a process without CAP_BPF/CAP_NET_ADMIN gets a one-line reason; interfaces it cannot
 * attach to are named. Child JVMs run
 * {@link ForwarderChild} on a veth interface of this test's own.
 */
class KernelForwarderProcessesIT {

    private final String id = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    private final String iface = "tk" + id + "d";
    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void createDummyInterface() throws IOException {
        // a veth pair (this kernel has no dummy driver); deleting one end deletes both
        VethTopology.run("ip", "link", "add", iface, "type", "veth", "peer", "name", "tk" + id + "e");
        VethTopology.run("ip", "link", "set", iface, "up");
    }

    @AfterEach
    void removeEverything() {
        children.forEach(Processes::stop);
        try {
            VethTopology.run("ip", "link", "del", iface);
        } catch (IOException e) {
            throw new AssertionError("cannot delete test interface " + iface, e);
        }
    }

    @Test
    void nextOpenRemovesTheFilterOfAKilledProcessButNotOfALiveOne() throws Exception {
        IngressFilters filters = new IngressFilters(LibBpf.load(), LibC.load());
        Process live = child(List.of());
        Process crashed = child(List.of());
        assertEquals("open", firstLine(live));
        assertEquals("open", firstLine(crashed));
        assertTrue(ownersOf(filters.ternHandles(iface)).containsAll(List.of(live.pid(), crashed.pid())));

        crashed.destroyForcibly();
        assertTrue(crashed.waitFor(30, TimeUnit.SECONDS));
        assertTrue(ownersOf(filters.ternHandles(iface)).contains(crashed.pid()),
                "a killed process leaves its filter behind (the kernel keeps an attached program)");

        try (KernelForwarder forwarder = KernelForwarder.open(List.of(iface))) {
            List<Long> owners = ownersOf(filters.ternHandles(iface));
            assertFalse(owners.contains(crashed.pid()), "the dead process's filter is removed at open");
            assertTrue(owners.contains(live.pid()), "a live process's filter stays");
            assertTrue(owners.contains(ProcessHandle.current().pid()));
            assertEquals(List.of(iface), forwarder.interfaces());
        }
        assertEquals(List.of(live.pid()), ownersOf(filters.ternHandles(iface)), "close detaches only its own");

        live.getOutputStream().close(); // the child closes its forwarder and ends
        assertTrue(live.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of(), filters.ternHandles(iface));
        assertFalse(tc("qdisc", "show", "dev", iface).contains("clsact"),
                "the last to leave removes the empty clsact qdisc");
    }

    @Test
    void withoutCapabilitiesOpenFailsWithAOneLineReason() throws Exception {
        Processes.require("setpriv", "apt-get install util-linux");
        Process p = child(List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--ambient-caps=-all"));
        String line = firstLine(p);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(3, p.exitValue(), line);
        assertTrue(line.startsWith("unavailable: no permission to load eBPF programs (needs CAP_BPF and "
                + "CAP_NET_ADMIN, or root)"), line);
        assertFalse(line.contains("\n"));
        assertEquals(List.of(), new IngressFilters(LibBpf.load(), LibC.load()).ternHandles(iface));
    }

    @Test
    void refusesAnInterfaceWithoutAnEthernetHeaderNamingIt() throws Exception {
        String tun = "tk" + id + "t";
        VethTopology.run("ip", "tuntap", "add", "dev", tun, "mode", "tun");
        try {
            KernelPlaneUnavailableException e = assertThrows(KernelPlaneUnavailableException.class,
                    () -> KernelForwarder.open(List.of(iface, tun)));
            assertEquals("interface '" + tun + "' has no Ethernet header (link type 65534); the kernel plane "
                    + "attaches to Ethernet and loopback interfaces only", e.getMessage());
            assertEquals(List.of(), new IngressFilters(LibBpf.load(), LibC.load()).ternHandles(iface));
        } finally {
            VethTopology.run("ip", "link", "del", tun);
        }
    }

    @Test
    void refusesAnUnknownInterfaceNamingIt() {
        KernelPlaneUnavailableException e = assertThrows(KernelPlaneUnavailableException.class,
                () -> KernelForwarder.open(List.of(iface, "tk" + id + "none")));
        assertEquals("no network interface named 'tk" + id + "none'", e.getMessage());
    }

    private Process child(List<String> prefix) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ForwarderChild.class.getName(), iface));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        children.add(p);
        return p;
    }

    private static String firstLine(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        return line == null ? "(no output)" : line;
    }

    private static List<Long> ownersOf(List<Integer> handles) {
        return handles.stream().map(h -> Integer.toUnsignedLong(h) >>> 8).toList();
    }

    private static String tc(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("tc"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
