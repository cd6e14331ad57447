package dev.tern.policy.file;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network written as {@code 192.0.2.0/24} or {@code 2001:db8::/32}; a bare address
 * means that one address. IPv4-mapped IPv6 addresses ({@code ::ffff:192.0.2.1}) are compared as the
 * IPv4 address they carry, since the JDK reads them as such.
 *
 * <p>Immutable and thread-safe. {@link #parse} refuses anything else with
 * {@link IllegalArgumentException} naming the text; it never resolves host names.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** Parses a CIDR block or a single address. */
    @JsonCreator
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = literal(address, text);
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length (expected 0 to "
                        + bytes.length * 8 + ")");
            }
        }
        return new Cidr(mask(bytes, prefix), prefix, t);
    }

    /** Whether the address is inside this network. */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        return candidate.length == network.length && Arrays.equals(mask(candidate, prefix), network);
    }

    private static byte[] literal(String address, String original) {
        boolean looksLikeIp = !address.isEmpty()
                && (address.indexOf(':') >= 0 || address.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
        if (looksLikeIp) {
            try {
                return InetAddress.getByName(address).getAddress(); // a literal: no lookup happens
            } catch (UnknownHostException | SecurityException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("'" + original + "' is not a CIDR block (expected an IP address with an "
                + "optional prefix length, like 192.0.2.0/24 or 2001:db8::/32)");
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xFF << (8 - bits));
        }
        return masked;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefix == other.prefix && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
