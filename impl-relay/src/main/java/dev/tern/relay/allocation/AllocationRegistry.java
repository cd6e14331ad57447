package dev.tern.relay.allocation;

import dev.tern.relay.core.request.QuotaRefusal;
import dev.tern.relay.drain.AlternateRelays;
import dev.tern.spi.AllocationView;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every live allocation of a relay, across event loops, with the counts quotas are checked against:
 * in total, per user and per client IP. A slot is reserved before the relay port is bound and released
 * when the allocation ends (or its creation fails), so counts never run ahead of limits.
 *
 * <p>Thread-safe. Memory is bounded by the number of reserved slots.
 */
public final class AllocationRegistry implements dev.tern.relay.core.request.Quotas {

    private final Set<Allocation> live = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Integer> perUser = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, Integer> perSource = new ConcurrentHashMap<>();
    private final int totalQuota;
    private final int perSourceQuota;
    private int total;
    private volatile boolean draining;
    private volatile AlternateRelays alternates = AlternateRelays.NONE;

    /**
     * @param totalQuota the most allocations in total, or {@link Integer#MAX_VALUE}
     * @param perSourceQuota the most allocations per client IP
     */
    public AllocationRegistry(int totalQuota, int perSourceQuota) {
        this.totalQuota = totalQuota;
        this.perSourceQuota = perSourceQuota;
    }

    /**
     * Reserves one slot for {@code userId} from {@code source}, or says which limit refuses it.
     *
     * @param userQuota the user's limit, or {@link Integer#MAX_VALUE}
     */
    @Override
    public synchronized Optional<QuotaRefusal> reserve(String userId, InetAddress source, int userQuota) {
        if (draining) {
            return Optional.of(QuotaRefusal.DRAINING);
        }
        if (total >= totalQuota) {
            return Optional.of(QuotaRefusal.TOTAL_ALLOCATIONS);
        }
        if (perSource.getOrDefault(source, 0) >= perSourceQuota) {
            return Optional.of(QuotaRefusal.PER_SOURCE_LIMIT);
        }
        if (perUser.getOrDefault(userId, 0) >= userQuota) {
            return Optional.of(QuotaRefusal.USER_ALLOCATIONS);
        }
        total++;
        perSource.merge(source, 1, Integer::sum);
        perUser.merge(userId, 1, Integer::sum);
        return Optional.empty();
    }

    /** Releases a slot taken by {@link #reserve}. */
    @Override
    public synchronized void release(String userId, InetAddress source) {
        total--;
        perSource.computeIfPresent(source, (k, n) -> n == 1 ? null : n - 1);
        perUser.computeIfPresent(userId, (k, n) -> n == 1 ? null : n - 1);
    }

    /** Records a created allocation (its slot is already reserved). */
    public void add(Allocation allocation) {
        live.add(allocation);
    }

    /** Forgets an allocation and releases its slot; false if it was not registered. */
    public boolean remove(Allocation allocation) {
        if (live.remove(allocation)) {
            release(allocation.userId(), allocation.client().getAddress());
            return true;
        }
        return false;
    }

    /** Refuses new allocations from now on. */
    public void startDraining() {
        startDraining(AlternateRelays.NONE);
    }

    /** Refuses new allocations from now on, sending their clients to one of {@code alternates}. */
    public void startDraining(AlternateRelays alternates) {
        this.alternates = alternates;
        draining = true;
    }

    /** Where refused clients go while draining ({@link AlternateRelays#NONE} before). */
    public AlternateRelays alternates() {
        return alternates;
    }

    /** Whether the registry refuses new allocations. */
    public boolean draining() {
        return draining;
    }

    /** The number of reserved slots (live allocations and those being created). */
    public synchronized int size() {
        return total;
    }

    /** The live allocations (a copy). */
    public List<Allocation> allocations() {
        return new ArrayList<>(live);
    }

    /** Snapshots of the live allocations. */
    public List<AllocationView> views() {
        List<AllocationView> views = new ArrayList<>(live.size());
        for (Allocation a : live) {
            views.add(a.view());
        }
        return views;
    }
}
