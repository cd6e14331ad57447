package dev.tern.relay.core.request;

import dev.tern.stun.ChannelNumbers;
import dev.tern.stun.StunAttribute;

/**
 * The settings the TURN core decides by.
 *
 * <p>Immutable and thread-safe.
 *
 * @param serverName the Matrix server name, to qualify bare user names for policy
 * @param secureStun whether Binding requests need credentials
 * @param lifetimes how long allocations are granted
 * @param userQuota allocations per user when policy sets none, or {@link Integer#MAX_VALUE}
 * @param maxPermissions peer permissions per allocation
 * @param channelNumbers the channel numbers ChannelBind accepts
 * @param families the address families the relay relays, and whether it can set DF
 */
public record CoreSettings(String serverName, boolean secureStun, Lifetimes lifetimes, int userQuota,
        int maxPermissions, ChannelNumbers channelNumbers, RelayedFamilies families) {

    /**
     * The relayed address families of the relay.
     *
     * @param ipv4 whether it relays IPv4
     * @param ipv6 whether it relays IPv6
     * @param dontFragment whether its relay sockets can set DF (else DONT-FRAGMENT is an unknown attribute)
     */
    public record RelayedFamilies(boolean ipv4, boolean ipv6, boolean dontFragment) {

        /** Whether the relay relays STUN family {@code family} (1 IPv4, 2 IPv6). */
        public boolean relays(int family) {
            return family == StunAttribute.FAMILY_IPV4 ? ipv4 : family == StunAttribute.FAMILY_IPV6 && ipv6;
        }
    }
}
