package dev.tern.relay.core.request;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The relay-wide allocation counts Allocate is admitted against (in total, per client IP, per user): implemented by
 * {@code dev.tern.relay.allocation.AllocationRegistry}. Implementations are thread-safe.
 */
public interface Quotas {

    /**
     * Reserves one slot for {@code userId} from {@code source}, or says which limit refuses it.
     *
     * @param userQuota the user's limit, or {@link Integer#MAX_VALUE}
     */
    Optional<QuotaRefusal> reserve(String userId, InetAddress source, int userQuota);

    /** Releases a slot taken by {@link #reserve} whose allocation was never created. */
    void release(String userId, InetAddress source);
}
