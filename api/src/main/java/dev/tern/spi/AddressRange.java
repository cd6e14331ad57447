package dev.tern.spi;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An inclusive range of addresses in one 128-bit space: IPv6 addresses as they are, IPv4 address
 * {@code a.b.c.d} as its mapped form {@code ::ffff:a.b.c.d}, so one comparison serves both families.
 *
 * <p>Immutable and thread-safe. {@link #parse(String)} accepts a single address ({@code 10.1.2.3},
 * {@code ::1}, {@code [::1]}), a CIDR block ({@code 10.0.0.0/8}, {@code fc00::/7}) or an inclusive
 * range {@code a-b} of one family; it never resolves a host name and throws
 * {@link IllegalArgumentException} with a message saying what was expected for anything else (callers
 * binding config put the key path in front). IPv4 parts are decimal without leading zeros ({@code 010.0.0.1}
 * is refused rather than guessed as octal), and a CIDR block must be its first address ({@code 10.0.0.1/8} is
 * refused, as a likely typo).
 *
 * <p>The one address-range type of the project: the relay's peer filter and trusted proxies, the policy
 * file's {@code networks}, the Matrix adapter's {@code trusted_proxies}. Because IPv4 lives at
 * {@code ::ffff:0:0/96}, an IPv4 block never holds an IPv6 address, an IPv4-mapped IPv6 address is its IPv4
 * address, and {@code ::/0} holds every address of both families.
 *
 * @param startHi high 64 bits of the first address
 * @param startLo low 64 bits of the first address
 * @param endHi high 64 bits of the last address
 * @param endLo low 64 bits of the last address
 */
public record AddressRange(long startHi, long startLo, long endHi, long endLo) {

    /** Low 64 bits of {@code ::ffff:0.0.0.0}: where IPv4 lives in the 128-bit space. */
    public static final long IPV4_MAPPED = 0x0000_FFFF_0000_0000L;

    /** Validates that start is not after end. */
    public AddressRange {
        if (compare(startHi, startLo, endHi, endLo) > 0) {
            throw new IllegalArgumentException("range start is after its end");
        }
    }

    /** Whether the address given as two 64-bit halves lies in this range. */
    public boolean contains(long hi, long lo) {
        return compare(startHi, startLo, hi, lo) <= 0 && compare(hi, lo, endHi, endLo) <= 0;
    }

    /** Whether {@code address} lies in this range (an IPv4 address as its mapped form). */
    public boolean contains(InetAddress address) {
        long[] b = bits(address);
        return contains(b[0], b[1]);
    }

    /** The IPv4 block {@code address/prefix}. */
    public static AddressRange ipv4(int address, int prefix) {
        long mask = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
        long start = (address & 0xFFFF_FFFFL) & mask;
        return new AddressRange(0, IPV4_MAPPED | start, 0, IPV4_MAPPED | start | (~mask & 0xFFFF_FFFFL));
    }

    /** The IPv6 block {@code hi:lo/prefix}. */
    public static AddressRange ipv6(long hi, long lo, int prefix) {
        long hiMask = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
        long loMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        return new AddressRange(hi & hiMask, lo & loMask, hi | ~hiMask, lo | ~loMask);
    }

    /**
     * Parses one config entry: an address, a CIDR block or an inclusive {@code a-b} range.
     *
     * @throws IllegalArgumentException naming what was expected
     */
    public static AddressRange parse(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("empty entry; expected an IP address, a CIDR block like"
                    + " 10.0.0.0/8 or a range like 10.0.0.1-10.0.0.9");
        }
        String text = entry.strip();
        int dash = text.indexOf('-');
        if (dash >= 0) {
            return parseRange(text.substring(0, dash).strip(), text.substring(dash + 1).strip());
        }
        int slash = text.indexOf('/');
        if (slash >= 0) {
            return parseCidr(text.substring(0, slash).strip(), text.substring(slash + 1).strip());
        }
        long[] a = parseAddress(text);
        return new AddressRange(a[0], a[1], a[0], a[1]);
    }

    private static AddressRange parseRange(String first, String last) {
        long[] a = parseAddress(first);
        long[] b = parseAddress(last);
        if (isIpv4(a[0], a[1]) != isIpv4(b[0], b[1])) {
            throw new IllegalArgumentException("range '" + first + "-" + last
                    + "' mixes IPv4 and IPv6; expected both ends of one family");
        }
        if (compare(a[0], a[1], b[0], b[1]) > 0) {
            throw new IllegalArgumentException("range '" + first + "-" + last
                    + "' starts after it ends; expected the lower address first");
        }
        return new AddressRange(a[0], a[1], b[0], b[1]);
    }

    private static AddressRange parseCidr(String address, String prefixText) {
        long[] a = parseAddress(address);
        boolean v4 = isIpv4(a[0], a[1]) && address.indexOf(':') < 0;
        int max = v4 ? 32 : 128;
        int prefix;
        try {
            prefix = Integer.parseInt(prefixText);
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > max || !prefixText.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("prefix length '" + prefixText + "' of " + address
                    + "; expected a number from 0 to " + max);
        }
        AddressRange block = v4 ? ipv4((int) a[1], prefix) : ipv6(a[0], a[1], prefix);
        if (block.startHi != a[0] || block.startLo != a[1]) {
            throw new IllegalArgumentException("'" + address + "/" + prefix + "' has bits set after the"
                    + " prefix; expected the first address of the block");
        }
        return block;
    }

    /** Parses an IP literal (never a host name) into {hi, lo}; IPv4 goes to its mapped form. */
    private static long[] parseAddress(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (s.indexOf(':') < 0) {
            return new long[] {0, IPV4_MAPPED | (parseIpv4(s, text) & 0xFFFF_FFFFL)};
        }
        if (s.indexOf('%') >= 0) {
            throw new IllegalArgumentException("'" + text + "' has a zone id; expected a plain IPv6 address");
        }
        try {
            // A string with ':' is parsed as an IPv6 literal, never looked up in DNS.
            InetAddress parsed = InetAddress.getByName(s);
            return bits(parsed);
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address; expected one like 2001:db8::1");
        }
    }

    private static int parseIpv4(String s, String original) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + original + "' is not an IP address; expected an IPv4"
                    + " address like 192.0.2.1 or an IPv6 address like 2001:db8::1");
        }
        int value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("'" + original + "' is not an IPv4 address; expected four"
                        + " numbers from 0 to 255 separated by dots, without leading zeros");
            }
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }

    /** The 128-bit form {hi, lo} of an address (IPv4 mapped). Allocates; for config, not lookups. */
    public static long[] bits(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return new long[] {0, IPV4_MAPPED | (toInt(b, 0) & 0xFFFF_FFFFL)};
        }
        return new long[] {toLong(b, 0), toLong(b, 8)};
    }

    public static boolean isIpv4(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xFFFFL;
    }

    public static int toInt(byte[] b, int offset) {
        return (b[offset] & 0xFF) << 24 | (b[offset + 1] & 0xFF) << 16 | (b[offset + 2] & 0xFF) << 8
                | (b[offset + 3] & 0xFF);
    }

    public static long toLong(byte[] b, int offset) {
        return (toInt(b, offset) & 0xFFFF_FFFFL) << 32 | (toInt(b, offset + 4) & 0xFFFF_FFFFL);
    }

    /** Unsigned comparison of two 128-bit values. */
    public static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }
}
