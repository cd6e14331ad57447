package dev.tern.spi;

/** The answer to {@link Fleet#acquireLease}. Immutable and thread-safe, like every enum. */
public enum LeaseOutcome {
    /** The lease is held: the allocation counts against the user's fleet-wide quota. */
    GRANTED,
    /** The user holds its {@code max_allocations} on the fleet already: refuse with 486. */
    REFUSED,
    /** No fleet store answered (or there is none): apply the relay's local quota. */
    LOCAL
}
