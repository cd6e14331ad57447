package dev.tern.relay.core.request;

import dev.tern.spi.RelayListener;

/**
 * Why the Netty relay refused an allocation or a permission: its per-user, total and per-source allocation
 * limits, its limit of permissions per allocation, the policy's answers (guests, TURN, transports), draining, and
 * running out of relay ports. Reported to {@link RelayListener#quotaRefused} and listed by the relay's
 * {@code refusalReasons()}.
 */
public enum QuotaRefusal implements RelayListener.Refusal {
    USER_ALLOCATIONS,
    TOTAL_ALLOCATIONS,
    PER_SOURCE_LIMIT,
    PERMISSIONS_PER_ALLOCATION,
    GUEST,
    TURN_NOT_ALLOWED,
    TRANSPORT_NOT_ALLOWED,
    DRAINING,
    NO_PORTS
}
