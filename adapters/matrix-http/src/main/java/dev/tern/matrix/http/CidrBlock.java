package dev.tern.matrix.http;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a block of one.
 *
 * <p>Immutable and thread-safe.
 *
 * @param network the network address bytes (host bits zero)
 * @param prefix the prefix length
 */
record CidrBlock(byte[] network, int prefix) {

    /** The block, or empty when the text is not {@code address} or {@code address/prefix}. */
    static Optional<CidrBlock> parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        Optional<InetAddress> address = IpLiteral.parse(slash < 0 ? s : s.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = address.get().getAddress();
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bytes.length * 8) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(p);
        }
        return Optional.of(new CidrBlock(mask(bytes, prefix), prefix));
    }

    /** Whether the address is in this block (an IPv4 address never matches an IPv6 block, and back). */
    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && java.util.Arrays.equals(mask(bytes, prefix), network);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }
}
