package dev.tern.bench.soak;

import dev.tern.turn.client.TurnClient;
import dev.tern.stun.ChannelData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;

/**
 * One allocation that carries a steady flow for the whole soak, well under the bandwidth quota: a numbered
 * packet every {@code 1000 / rate} ms over a channel to the echo peer, each waited for (at most 5 s) before
 * the next. An echo that comes later than that is counted late (the machine stalled, nothing was lost) when
 * it shows up while the next one is awaited; one that never comes is lost. Refreshes the allocation and the
 * channel every third of the allocation lifetime. When stopped it waits for the packet in flight, then holds its allocation (so the relay's
 * counts of it can be read) until {@link #release()}, then deletes it. The relay must lose none of them.
 *
 * <p>Thread-safe: runs on a thread of its own; {@link #result()} may be read from any thread.
 */
final class SteadyFlow implements Runnable {

    private static final int ECHO_WAIT_MILLIS = 5000;

    private final FlowPlan plan;
    private final SoakLauncher launcher;
    private final TurnCredentials credentials;
    private final InetSocketAddress peer;
    private final SSLContext tls;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch parked = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong asIndications = new AtomicLong();
    private final AtomicLong garbled = new AtomicLong();
    private final java.util.List<Long> firstLost = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicReference<String> error = new AtomicReference<>();
    private final java.util.Set<Integer> relayPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<Integer> clientPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param plan what the flow carries
     * @param launcher the relay
     * @param credentials the TURN credentials of its allocation
     * @param peer the echo peer it sends to
     * @param tls the TLS context that trusts the relay's certificate (for a TLS flow)
     */
    SteadyFlow(FlowPlan plan, SoakLauncher launcher, TurnCredentials credentials, InetSocketAddress peer,
            SSLContext tls) {
        this.plan = plan;
        this.launcher = launcher;
        this.credentials = credentials;
        this.peer = peer;
        this.tls = tls;
    }

    /** The relay's UDP port of this flow's allocation (towards the peer), once allocated. */
    java.util.Set<Integer> relayPorts() {
        return java.util.Set.copyOf(relayPorts);
    }

    /** This flow's own UDP port towards the relay (none over TCP or TLS). */
    java.util.Set<Integer> clientPorts() {
        return java.util.Set.copyOf(clientPorts);
    }

    /** Ends the flow after the packet in flight. */
    void stop() {
        stop.set(true);
    }

    /**
     * Waits until the flow, stopped, has its last packet back (or given up on) and holds its allocation idle.
     *
     * @return false when it did not within the timeout
     */
    boolean awaitParked(long timeoutMillis) throws InterruptedException {
        return parked.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Lets the stopped flow delete its allocation. */
    void release() {
        released.countDown();
    }

    FlowResult result() {
        return new FlowResult(plan, new FlowResult.ClientCounts(sent.get(), received.get(), late.get(),
                asIndications.get(), garbled.get(), List.copyOf(firstLost)), FlowResult.Legs.UNKNOWN,
                FlowResult.SocketDrops.UNKNOWN, error.get() == null ? "" : error.get());
    }

    @Override
    public void run() {
        int id = plan.id();
        int channel = 0x4000 + id;
        byte[] payload = new byte[plan.size()];
        byte[] buffer = new byte[2048];
        long interval = TimeUnit.SECONDS.toNanos(1) / plan.rate();
        // a third of the lifetime: two refreshes may be missed (a stalled machine) before the allocation expires
        long refreshNanos = TimeUnit.SECONDS.toNanos(launcher.allocationLifetimeSeconds()) / 3;
        try (TurnClient client = plan.transport().open(launcher, credentials, tls)) {
            relayPorts.add(client.allocate(launcher.allocationLifetimeSeconds()).orThrow().grant().relayed().orElseThrow()
                    .getPort());
            if (plan.transport() == TurnTransport.UDP) {
                clientPorts.add(((InetSocketAddress) client.channel().getLocalAddress()).getPort());
            }
            client.channelBind(channel, peer).orThrow();
            long refreshed = System.nanoTime();
            long next = System.nanoTime();
            for (long seq = 0; !stop.get(); seq++) {
                ByteBuffer.wrap(payload).putInt(id).putLong(seq);
                client.sendChannelData(channel, payload, plan.size());
                sent.incrementAndGet();
                if (awaitEcho(client, buffer, seq)) {
                    received.incrementAndGet();
                } else if (firstLost.size() < 5) {
                    firstLost.add(seq);
                }
                asIndications.set(client.dataIndications());
                if (System.nanoTime() - refreshed > refreshNanos) {
                    client.refresh(launcher.allocationLifetimeSeconds()).orThrow();
                    client.channelBind(channel, peer).orThrow();
                    refreshed = System.nanoTime();
                }
                // A flow that fell behind (an echo waited for) does not catch up: a burst of catch-up packets
                // could exceed the quota, and the flow is meant to stay steady and under it.
                next = Math.max(next + interval, System.nanoTime());
                LockSupport.parkNanos(next - System.nanoTime());
            }
            client.refresh(launcher.allocationLifetimeSeconds()).orThrow();
            parked.countDown();
            // Held at most until a little before the allocation would expire unrefreshed.
            released.await(launcher.allocationLifetimeSeconds() * 2L / 3, TimeUnit.SECONDS);
            client.refresh(0).orThrow();
        } catch (IOException | RuntimeException e) {
            error.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            parked.countDown();
        }
    }

    /** Waits for this packet's echo; an older one arriving late is counted late and skipped. */
    private boolean awaitEcho(TurnClient client, byte[] buffer, long seq) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ECHO_WAIT_MILLIS);
        while (true) {
            int left = (int) TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            int n = client.receiveData(buffer, left);
            if (n < 0) {
                return false;
            }
            ByteBuffer echo = ByteBuffer.wrap(buffer, ChannelData.HEADER_LENGTH, n);
            if (n != plan.size() || echo.getInt() != plan.id()) {
                garbled.incrementAndGet();
                continue;
            }
            long echoed = echo.getLong();
            if (echoed == seq) {
                return true;
            }
            if (echoed < seq && echoed >= 0) {
                late.incrementAndGet();
            } else {
                garbled.incrementAndGet();
            }
        }
    }
}
