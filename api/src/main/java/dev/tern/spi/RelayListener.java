package dev.tern.spi;

import java.net.InetAddress;

/**
 * Receives what a relay does, for metrics and audit. Every method has an empty default, so a
 * listener implements only what it needs.
 *
 * <p>Methods are called on the relay's event loops, several at once: implementations must be thread-safe, fast,
 * must not block and must not throw (an exception is logged and otherwise ignored). Counters arrive in batches,
 * not per packet.
 */
public interface RelayListener {

    /**
     * Why a request was refused before it reached an allocation. {@code TOO_MANY_FAILURES}: its username or
     * client address had too many failed credential checks recently, so it was refused without a check.
     */
    enum AuthFailure { MISSING_CREDENTIALS, UNKNOWN_USER, EXPIRED, MALFORMED_USERNAME, BAD_INTEGRITY, STALE_NONCE,
        WRONG_CREDENTIALS, TOO_MANY_FAILURES }

    /**
     * Why an allocation or a permission was refused by policy or by limits, in the words of the relay that
     * refused it: each relay defines its own fixed set, usually an enum (the Netty relay's is
     * {@code dev.tern.relay.core.request.QuotaRefusal}), and lists it in {@link RelayServer#refusalReasons()}.
     * {@link #name()} becomes a metrics label, so the set is small and never built from client input.
     */
    interface Refusal {

        /** The reason's name, like {@code USER_ALLOCATIONS}; never null or empty. */
        String name();
    }

    /** Which way relayed data went. */
    enum Direction { TO_PEER, FROM_PEER }

    /** Which data plane forwarded relayed data: the relay's own threads, or the kernel (bound UDP channels). */
    enum Plane { USER, KERNEL }

    default void allocationCreated(AllocationView allocation) {
    }

    default void allocationRefreshed(AllocationView allocation) {
    }

    /** The allocation was deleted by the client, expired, or was closed with the relay. */
    default void allocationDeleted(AllocationView allocation, String reason) {
    }

    default void permissionCreated(AllocationView allocation, InetAddress peer) {
    }

    default void channelBound(AllocationView allocation, int channelNumber, String peer) {
    }

    /** Data relayed since the last call for this allocation and direction. */
    default void relayed(Direction direction, long packets, long bytes) {
    }

    /**
     * The same data as {@link #relayed}, split by the plane that forwarded it: called after it, once per plane
     * that carried anything.
     */
    default void relayedBy(Plane plane, Direction direction, long packets, long bytes) {
    }

    /** Packets dropped because the allocation exceeded its bitrate. */
    default void rateLimited(long packets, long bytes) {
    }

    /**
     * Datagrams from peers dropped whole because they were longer than the relay relays (never relayed cut
     * short); their length past the limit is unknown, so only packets are counted.
     */
    default void oversizedDropped(long packets) {
    }

    default void authFailed(AuthFailure reason) {
    }

    /** A peer address refused by the peer filter (the address is not reported: it may be private). */
    default void peerRefused() {
    }

    default void quotaRefused(Refusal reason) {
    }
}
