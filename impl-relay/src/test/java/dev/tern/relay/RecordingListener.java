package dev.tern.relay;

import dev.tern.spi.AllocationView;
import dev.tern.spi.RelayListener;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Records relay events for assertions. Thread-safe. */
final class RecordingListener implements RelayListener {

    final List<String> events = new CopyOnWriteArrayList<>();
    final AtomicLong bytesToPeers = new AtomicLong();
    final AtomicLong bytesFromPeers = new AtomicLong();
    final AtomicLong rateLimitedPackets = new AtomicLong();

    @Override
    public void allocationCreated(AllocationView allocation) {
        events.add("created " + allocation.owner().userId());
    }

    @Override
    public void allocationDeleted(AllocationView allocation, String reason) {
        events.add("deleted " + reason);
    }

    @Override
    public void permissionCreated(AllocationView allocation, InetAddress peer) {
        events.add("permission " + peer.getHostAddress());
    }

    @Override
    public void channelBound(AllocationView allocation, int channelNumber, String peer) {
        events.add("channel " + Integer.toHexString(channelNumber));
    }

    @Override
    public void relayed(Direction direction, long packets, long bytes) {
        (direction == Direction.TO_PEER ? bytesToPeers : bytesFromPeers).addAndGet(bytes);
    }

    @Override
    public void rateLimited(long packets, long bytes) {
        rateLimitedPackets.addAndGet(packets);
    }

    @Override
    public void oversizedDropped(long packets) {
        events.add("oversized " + packets);
    }

    @Override
    public void authFailed(AuthFailure reason) {
        events.add("auth " + reason);
    }

    @Override
    public void peerRefused() {
        events.add("peer refused");
    }

    @Override
    public void quotaRefused(Refusal reason) {
        events.add("quota " + reason);
    }
}
