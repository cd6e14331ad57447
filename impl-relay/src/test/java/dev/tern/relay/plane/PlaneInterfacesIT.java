package dev.tern.relay.plane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.relay.kernel.VethTopology;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which interfaces the kernel plane attaches to, on real interfaces: veth pairs in namespaces of their own
 * ({@link VethTopology}), so the test sees interfaces it made. Needs root, as CI has.
 */
class PlaneInterfacesIT {

    @Test
    void loopbackAndTheInterfacesOwningTheAddresses() throws Exception {
        try (VethTopology veths = VethTopology.create(true)) {
            assertEquals(List.of("lo"), PlaneInterfaces.covering(List.of(InetAddress.getLoopbackAddress())));
            assertEquals(List.of("lo", veths.clientSide(), veths.peerSide()), PlaneInterfaces.covering(
                    List.of(veths.relayTowardsClient(false), veths.relayTowardsPeer(false))));
        }
    }

    @Test
    void aWildcardAddressTakesEveryUpEthernetInterface() throws Exception {
        try (VethTopology veths = VethTopology.create(true)) {
            List<String> names = PlaneInterfaces.covering(List.of(InetAddress.getByName("0.0.0.0")));
            assertEquals("lo", names.get(0));
            assertTrue(names.contains(veths.clientSide()) && names.contains(veths.peerSide()), names::toString);
            for (String name : names) {
                NetworkInterface n = NetworkInterface.getByName(name);
                if (n == null) {
                    continue; // another test's interface, gone since
                }
                assertTrue(n.isLoopback() || n.getHardwareAddress() != null && n.getHardwareAddress().length == 6,
                        name + " has an Ethernet header");
            }
        }
    }

    @Test
    void namesTheInterfacesWhereForwardingIsOff() throws Exception {
        try (VethTopology off = VethTopology.create(true, false); VethTopology on = VethTopology.create(true)) {
            assertEquals(List.of(off.clientSide()),
                    PlaneInterfaces.forwardingOff(List.of("lo", off.clientSide(), on.clientSide())));
        }
    }
}
