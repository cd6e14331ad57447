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

    /** A builder with every setting unset (so at its default where it has one). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings, to build a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.serverName = serverName;
        b.secureStun = secureStun;
        b.lifetimes = lifetimes;
        b.userQuota = userQuota;
        b.maxPermissions = maxPermissions;
        b.channelNumbers = channelNumbers;
        b.families = families;
        return b;
    }

    /** Sets CoreSettings's settings by name; {@link #build} checks them as the canonical constructor does. Not thread-safe. */
    public static final class Builder {

        private String serverName;
        private boolean secureStun;
        private Lifetimes lifetimes;
        private int userQuota;
        private int maxPermissions;
        private ChannelNumbers channelNumbers;
        private RelayedFamilies families;

        private Builder() {
        }

        /** Sets {@code serverName}. */
        public Builder serverName(String serverName) {
            this.serverName = serverName;
            return this;
        }

        /** Sets {@code secureStun}. */
        public Builder secureStun(boolean secureStun) {
            this.secureStun = secureStun;
            return this;
        }

        /** Sets {@code lifetimes}. */
        public Builder lifetimes(Lifetimes lifetimes) {
            this.lifetimes = lifetimes;
            return this;
        }

        /** Sets {@code userQuota}. */
        public Builder userQuota(int userQuota) {
            this.userQuota = userQuota;
            return this;
        }

        /** Sets {@code maxPermissions}. */
        public Builder maxPermissions(int maxPermissions) {
            this.maxPermissions = maxPermissions;
            return this;
        }

        /** Sets {@code channelNumbers}. */
        public Builder channelNumbers(ChannelNumbers channelNumbers) {
            this.channelNumbers = channelNumbers;
            return this;
        }

        /** Sets {@code families}. */
        public Builder families(RelayedFamilies families) {
            this.families = families;
            return this;
        }

        /** The settings, checked. */
        public CoreSettings build() {
            return new CoreSettings(serverName, secureStun, lifetimes, userQuota, maxPermissions, channelNumbers, families);
        }
    }
}
