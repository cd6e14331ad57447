package dev.tern.bench.load;

import dev.tern.spi.Secret;
import dev.tern.turn.client.TurnClient;
import dev.tern.turn.client.TurnException;
import dev.tern.credentials.rest.TurnRestPassword;
import dev.tern.stun.ChannelData;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessageWriter;
import dev.tern.stun.StunMethod;
import dev.tern.stun.TransactionId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One load run against a TURN server: N allocations, each bound (channel {@code 0x4000}, or a
 * permission for Send indications) to an echo peer this run starts on loopback; timestamped packets
 * at a fixed rate per allocation; round trips measured when the echo comes back through the relay.
 *
 * <p>Threads: a pool to allocate, the calling thread to send (paced every 200 µs), one thread to
 * receive (a selector over every client socket), one for the echo peer. Not reentrant.
 */
public final class RelayLoad {

    /** How long a request waits for its answer: the sum of its four retransmission waits. */
    private static final Duration ANSWER_WAIT = Duration.ofMillis(3750);

    private static final int CHANNEL = 0x4000;
    private static final int TIMESTAMP_OFFSET = 8;
    private static final long DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    private final LoadSettings settings;

    /** @param settings what to run */
    public RelayLoad(LoadSettings settings) {
        this.settings = settings;
    }

    /** Runs the load and reports; allocations are deleted afterwards. */
    public LoadResult run() throws IOException, InterruptedException {
        return run(Duration.ZERO);
    }

    /**
     * Runs the load and reports on all but its first {@code leadIn}: the same allocations carry the
     * same load for {@code leadIn} first, unmeasured (a warm-up that leaves the server in the state it
     * is measured in, instead of deleting one set of allocations and making another just before the
     * measurement). Packets sent during the lead-in count nowhere, even when they arrive later.
     */
    public LoadResult run(Duration leadIn) throws IOException, InterruptedException {
        if (leadIn.isNegative()) {
            throw new IllegalArgumentException("the lead-in must not be negative");
        }
        if (leadIn.plus(settings.duration()).toSeconds() > 240) {
            throw new IllegalArgumentException("the lead-in plus --duration must be at most 240 s (permissions are "
                    + "not refreshed), was " + leadIn.plus(settings.duration()).toSeconds() + " s");
        }
        return withAllocations((peer, clients, allocateSeconds) -> {
            int failed = settings.allocations() - clients.size();
            return clients.isEmpty()
                    ? LoadResult.noAllocations(failed, allocateSeconds)
                    : load(clients, peer, failed, allocateSeconds, leadIn.toNanos());
        });
    }

    /**
     * What {@link #hold} saw: allocations made and failed, the wall time to make them all, and what
     * was measured while they all lived.
     */
    public record Held<T>(AllocationCount allocations, T measured) {
    }

    /** A measurement taken while the allocations live. */
    @FunctionalInterface
    public interface Measurement<T> {
        T take() throws IOException, InterruptedException;
    }

    /**
     * Makes every allocation (timed; no packets are sent), takes {@code measurement} while they all
     * live, then deletes them.
     */
    public <T> Held<T> hold(Measurement<T> measurement) throws IOException, InterruptedException {
        return withAllocations((peer, clients, allocateSeconds) -> new Held<>(new AllocationCount(
                clients.size(), settings.allocations() - clients.size(), allocateSeconds), measurement.take()));
    }

    @FunctionalInterface
    private interface WithClients<T> {
        T apply(EchoPeer peer, List<TurnClient> clients, double allocateSeconds)
                throws IOException, InterruptedException;
    }

    private <T> T withAllocations(WithClients<T> body) throws IOException, InterruptedException {
        try (EchoPeer peer = new EchoPeer(settings.peerHost())) {
            long allocateStart = System.nanoTime();
            List<TurnClient> clients = allocateAll(peer.address());
            double allocateSeconds = (System.nanoTime() - allocateStart) / 1e9;
            try {
                return body.apply(peer, clients, allocateSeconds);
            } finally {
                release(clients);
            }
        }
    }

    private List<TurnClient> allocateAll(InetSocketAddress peer) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, settings.allocations()));
        List<Future<TurnClient>> futures = new ArrayList<>();
        long expiry = System.currentTimeMillis() / 1000 + 3600;
        for (int i = 0; i < settings.allocations(); i++) {
            int index = i;
            futures.add(pool.submit(() -> allocateOne(index, expiry, peer)));
        }
        List<TurnClient> clients = new ArrayList<>();
        String firstError = null;
        for (Future<TurnClient> f : futures) {
            try {
                clients.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                if (firstError == null) {
                    firstError = e.getCause().getMessage();
                }
            }
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        if (firstError != null) {
            System.err.println("allocation failed: " + firstError);
        }
        return clients;
    }

    private TurnClient allocateOne(int index, long expiry, InetSocketAddress peer) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return allocateOnce(index, expiry, peer);
            } catch (TurnException e) {
                // 437: an earlier run's allocation still holds this 5-tuple (its socket port came back
                // to us); another local port is another 5-tuple.
                if (e.code() != 437 || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private TurnClient allocateOnce(int index, long expiry, InetSocketAddress peer) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            channel.bind(new InetSocketAddress(settings.peerHost(), 0));
            channel.connect(settings.server());
            String username;
            String password;
            if (settings.secret() != null) {
                username = expiry + ":" + (settings.user() == null ? "bench" : settings.user()) + index;
                password = TurnRestPassword.of(Secret.of(settings.secret()), username);
            } else {
                username = settings.user();
                password = settings.password();
            }
            TurnClient client = TurnClient.over(channel, ANSWER_WAIT).retransmitting()
                    .credentials(username, password);
            client.allocate(600).orThrow();
            if (settings.sendIndications()) {
                client.createPermission(peer).orThrow();
            } else {
                client.channelBind(CHANNEL, peer).orThrow();
            }
            return client;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private LoadResult load(List<TurnClient> clients, EchoPeer peer, int failed, double allocateSeconds,
            long leadInNanos) throws IOException, InterruptedException {
        int n = clients.size();
        ByteBuffer[] packets = new ByteBuffer[n];
        int[] timestampAt = new int[n];
        for (int i = 0; i < n; i++) {
            buildPacket(i, peer.address(), packets, timestampAt);
        }
        double totalRate = (double) n * settings.rate();
        long leadInStart = System.nanoTime();
        long start = leadInStart + leadInNanos;
        long end = start + settings.duration().toNanos();
        Receiver receiver = new Receiver(clients, (long) (totalRate * settings.duration().toNanos() / 1e9 * 1.05),
                start);
        Thread receiving = new Thread(receiver, "bench-receive");
        receiving.setDaemon(true);
        receiving.start();

        ProcessCpu cpu = settings.serverPid().isPresent() ? new ProcessCpu(settings.serverPid().getAsLong()) : null;
        ProcessCpu ownCpu = new ProcessCpu(ProcessHandle.current().pid());
        WindowStart before = null;
        long sent = 0;
        long leadInSent = 0;
        DatagramChannel[] channels = clients.stream().map(TurnClient::channel).toArray(DatagramChannel[]::new);
        for (long now = leadInStart; now < end; now = System.nanoTime()) {
            if (before == null && now >= start) {
                // The measured part continues the lead-in's pace without a gap.
                before = WindowStart.take(cpu, ownCpu, peer);
                leadInSent = sent;
            }
            long due = (long) ((now - leadInStart) * totalRate / 1e9);
            while (sent < due) {
                int i = (int) (sent % n);
                ByteBuffer packet = packets[i];
                packet.putLong(timestampAt[i], System.nanoTime());
                packet.clear();
                try {
                    channels[i].write(packet);
                } catch (IOException e) {
                    // ICMP errors surface here on a connected socket; the packet counts as lost.
                }
                sent++;
            }
            LockSupport.parkNanos(200_000);
        }
        if (before == null) {
            before = WindowStart.take(cpu, ownCpu, peer);
            leadInSent = sent;
        }
        sent -= leadInSent;
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long drainEnd = System.nanoTime() + DRAIN_NANOS;
        while (receiver.received() < sent && System.nanoTime() < drainEnd) {
            Thread.sleep(10);
        }
        ProcessCpu.Times used = cpu == null ? null : cpu.times().since(before.server());
        ProcessCpu.Times ownAfter = ownTimes(ownCpu);
        double generatorShare = before.own() == null || ownAfter == null ? Double.NaN
                : ownAfter.since(before.own()).total()
                        / ((System.nanoTime() - before.nanos()) / 1e9 * Runtime.getRuntime().availableProcessors());
        UdpDrops dropsAfter = UdpDrops.now();
        receiver.stop();
        receiving.join(5000);
        long received = receiver.received();
        long atPeer = peer.received() - before.atPeer();
        double loss = sent == 0 ? 0 : 100.0 * Math.max(0, sent - received) / sent;
        long relayed = atPeer + received;
        return new LoadResult(new AllocationCount(n, failed, allocateSeconds),
                new LoadResult.Packets(sent / sendSeconds, received / sendSeconds, sent, atPeer, received, loss),
                receiver.rtts().summary(),
                used == null ? LoadResult.ServerCpu.UNKNOWN : new LoadResult.ServerCpu(used.total(),
                        relayed == 0 ? -1 : used.total() * 1e6 / relayed,
                        relayed == 0 ? -1 : used.user() * 1e6 / relayed),
                new LoadResult.Generator(generatorShare, dropsAfter.since(before.drops(), serverPorts(clients)),
                        dropsAfter.since(before.drops(), generatorPorts(clients, peer))));
    }

    /**
     * What the counters said when the measured window opened.
     *
     * @param server the server's CPU times, or {@code null} without a server pid
     * @param own this process's CPU times, or {@code null} where {@code /proc} cannot tell
     */
    private record WindowStart(ProcessCpu.Times server, ProcessCpu.Times own, long nanos, UdpDrops drops,
            long atPeer) {

        static WindowStart take(ProcessCpu server, ProcessCpu own, EchoPeer peer) throws IOException {
            return new WindowStart(server == null ? null : server.times(), ownTimes(own), System.nanoTime(),
                    UdpDrops.now(), peer.received());
        }
    }

    /** This process's CPU times, or {@code null} where {@code /proc} cannot tell (not Linux). */
    private static ProcessCpu.Times ownTimes(ProcessCpu own) {
        try {
            return own.times();
        } catch (IOException e) {
            return null;
        }
    }

    /** The server's listening port and the relay ports of {@code clients}' allocations. */
    private Set<Integer> serverPorts(List<TurnClient> clients) {
        Set<Integer> ports = new HashSet<>();
        ports.add(settings.server().getPort());
        clients.forEach(c -> ports.add(c.relayedAddress().orElseThrow().getPort()));
        return ports;
    }

    /** The ports of the generator's own sockets: the clients' and the echo peer's. */
    private static Set<Integer> generatorPorts(List<TurnClient> clients, EchoPeer peer) throws IOException {
        Set<Integer> ports = new HashSet<>();
        for (TurnClient c : clients) {
            ports.add(((InetSocketAddress) c.channel().getLocalAddress()).getPort());
        }
        ports.add(peer.address().getPort());
        return ports;
    }

    private void buildPacket(int i, InetSocketAddress peer, ByteBuffer[] packets, int[] timestampAt) {
        int size = settings.size();
        if (settings.sendIndications()) {
            ByteBuf buf = Unpooled.buffer(size + 64);
            try {
                StunMessageWriter writer = StunMessageWriter.start(buf, StunMethod.SEND, StunClass.INDICATION,
                        TransactionId.random()).xorAddress(StunAttribute.XOR_PEER_ADDRESS, peer);
                int dataValueAt = writer.length() + 4;
                writer.bytes(StunAttribute.DATA, new byte[size]).finish();
                packets[i] = ByteBuffer.allocateDirect(buf.readableBytes());
                packets[i].put(buf.nioBuffer());
                timestampAt[i] = dataValueAt + TIMESTAMP_OFFSET;
            } finally {
                buf.release();
            }
        } else {
            ByteBuf header = Unpooled.buffer(4);
            ChannelData.writeHeader(header, 0, CHANNEL, size);
            packets[i] = ByteBuffer.allocateDirect(ChannelData.HEADER_LENGTH + size);
            packets[i].put(0, header.array(), 0, 4);
            timestampAt[i] = ChannelData.HEADER_LENGTH + TIMESTAMP_OFFSET;
            header.release();
        }
        packets[i].putInt(timestampAt[i] - TIMESTAMP_OFFSET, i);
    }

    private void release(List<TurnClient> clients) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(8, clients.size())));
        for (TurnClient client : clients) {
            pool.submit(() -> {
                try {
                    if (!client.channel().isBlocking()) {
                        client.channel().configureBlocking(true);
                    }
                    client.refresh(0);
                } catch (IOException e) {
                    // best effort: the allocation expires on the server anyway
                } finally {
                    try {
                        client.channel().close();
                    } catch (IOException ignored) {
                        // closing a UDP socket cannot usefully fail
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads every client socket; extracts the timestamp from ChannelData or a Data indication. */
    private static final class Receiver implements Runnable {
        private final Selector selector;
        private final RttRecorder rtts;
        private final long measureFrom;
        private volatile boolean stopped;
        private volatile long received;

        /** @param measureFrom packets sent before this {@link System#nanoTime()} are not counted */
        Receiver(List<TurnClient> clients, long expectedPackets, long measureFrom) throws IOException {
            this.rtts = new RttRecorder(expectedPackets);
            this.measureFrom = measureFrom;
            this.selector = Selector.open();
            for (TurnClient client : clients) {
                client.channel().configureBlocking(false);
                client.channel().register(selector, SelectionKey.OP_READ);
            }
        }

        long received() {
            return received;
        }

        RttRecorder rtts() {
            return rtts;
        }

        void stop() {
            stopped = true;
            selector.wakeup();
        }

        @Override
        public void run() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
            long count = 0;
            try {
                while (!stopped) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        DatagramChannel channel = (DatagramChannel) key.channel();
                        while (true) {
                            buffer.clear();
                            int len;
                            try {
                                len = channel.read(buffer);
                            } catch (IOException e) {
                                break;
                            }
                            if (len <= 0) {
                                break;
                            }
                            long now = System.nanoTime();
                            int payload = payloadOffset(buffer, len);
                            if (payload >= 0 && payload + 16 <= len) {
                                long sentAt = buffer.getLong(payload + TIMESTAMP_OFFSET);
                                if (sentAt - measureFrom >= 0) {
                                    rtts.record(now - sentAt);
                                    received = ++count;
                                }
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                System.err.println("receiver stopped: " + e);
            } finally {
                try {
                    for (SelectionKey key : selector.keys()) {
                        key.cancel();
                    }
                    selector.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }

        /** Where the application data starts, or -1 for anything but ChannelData or a Data indication. */
        private static int payloadOffset(ByteBuffer b, int len) {
            int first = b.get(0) & 0xFF;
            if (first >= 0x40 && first <= 0x4F) {
                return ChannelData.HEADER_LENGTH;
            }
            int dataIndication = StunClass.INDICATION.messageType(StunMethod.DATA);
            if (len < 20 || (b.getShort(0) & 0xFFFF) != dataIndication) {
                return -1;
            }
            for (int pos = 20; pos + 4 <= len; ) {
                int type = b.getShort(pos) & 0xFFFF;
                int alen = b.getShort(pos + 2) & 0xFFFF;
                if (type == StunAttribute.DATA) {
                    return pos + 4;
                }
                pos += 4 + ((alen + 3) & ~3);
            }
            return -1;
        }
    }
}
