package dev.tern.bench.jmh;

import dev.tern.relay.peer.PeerAddressFilter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * Peer-address filter lookups as the relay does them on CreatePermission, ChannelBind and Send:
 * a mix of public, private and IPv4-in-IPv6 addresses against the default lists plus a few config entries.
 */
public class PeerAddressFilterBenchmark extends HotPathBenchmark {

    private PeerAddressFilter filter;
    private InetAddress[] peers;
    private int[] ipv4Bits;
    private int next;

    @Setup
    public void setUp() throws UnknownHostException {
        filter = PeerAddressFilter.create(List.of("127.0.0.1", "10.1.0.0/16"),
                List.of("198.51.0.0-198.51.99.255", "2001:db8::/32"), List.of(InetAddress.getByName("203.0.114.7")));
        peers = new InetAddress[] {
            InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.1.2.3"), InetAddress.getByName("192.168.1.1"),
            InetAddress.getByName("2606:4700::1111"), InetAddress.getByName("fd00::1"),
            mapped(127, 0, 0, 2), InetAddress.getByName("64:ff9b::808:808"), InetAddress.getByName("203.0.114.7"),
        };
        ipv4Bits = new int[] {0x08080808, 0x0A010203, 0xC0A80101, 0x7F000002};
    }

    private static InetAddress mapped(int a, int b, int c, int d) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xFF;
        bytes[11] = (byte) 0xFF;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        return Inet6Address.getByAddress(null, bytes, -1);
    }

    /** One lookup from an {@link InetAddress} (what the codec's XOR-PEER-ADDRESS decode yields). */
    @Benchmark
    public boolean permitsInetAddress() {
        InetAddress peer = peers[next++ & 7];
        return filter.permits(peer);
    }

    /** One lookup from raw IPv4 bits (allocation-free path). */
    @Benchmark
    public boolean permitsIpv4Bits() {
        return filter.permitsIpv4(ipv4Bits[next++ & 3]);
    }
}
