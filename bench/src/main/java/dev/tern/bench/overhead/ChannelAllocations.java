package dev.tern.bench.overhead;

import dev.tern.spi.Secret;
import dev.tern.turn.client.TurnClient;
import dev.tern.turn.client.TurnException;
import dev.tern.credentials.rest.TurnRestPassword;
import dev.tern.testing.PortRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Allocations with a channel bound to one peer, made by the bench's Java TURN client from sockets on
 * loopback whose ports are then handed to the load client: each allocation's socket is closed once its
 * channel is bound (the server keys allocations by 5-tuple, so whoever sends from that port next is the
 * client), and {@link #close()} binds the port again to delete the allocation (Refresh 0).
 *
 * <p>Not thread-safe.
 */
public final class ChannelAllocations implements AutoCloseable {

    /** The channel number every allocation binds. */
    public static final int CHANNEL = 0x4000;

    private static final int LIFETIME_SECONDS = 600;
    /** How long a request waits for its answer: the sum of its four retransmission waits. */
    private static final Duration ANSWER_WAIT = Duration.ofMillis(3750);

    /**
     * The local ports allocations are made from: below the relays' port ranges and the kernel's ephemeral ports
     * (32768 and up), so no relay port of an allocation made meanwhile takes a port between the Java client closing
     * it and the load client binding it.
     */
    public static final PortRange CLIENT_PORTS = new PortRange(10000, 19999);

    /** One allocation: the local port it was made from and its long-term credentials. */
    private record Held(int localPort, String username, String password) {
    }

    private final InetSocketAddress server;
    private final List<Held> held;

    private ChannelAllocations(InetSocketAddress server, List<Held> held) {
        this.server = server;
        this.held = held;
    }

    /**
     * Makes {@code count} allocations on {@code server} with TURN REST credentials from {@code secret}, each
     * binding {@link #CHANNEL} to {@code peer}.
     *
     * @throws IOException with the first failure when any allocation fails (those made are deleted)
     */
    public static ChannelAllocations make(InetSocketAddress server, String secret, int count, InetSocketAddress peer)
            throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, count));
        long expiry = System.currentTimeMillis() / 1000 + 3600;
        List<Future<Held>> futures = new ArrayList<>();
        AtomicInteger nextPort = new AtomicInteger(ThreadLocalRandom.current().nextInt(CLIENT_PORTS.max()
                - CLIENT_PORTS.min() + 1));
        for (int i = 0; i < count; i++) {
            String username = expiry + ":overhead" + i;
            String password = TurnRestPassword.of(Secret.of(secret), username);
            futures.add(pool.submit(() -> allocate(server, username, password, peer, nextPort)));
        }
        List<Held> made = new ArrayList<>();
        IOException failure = null;
        for (Future<Held> f : futures) {
            try {
                made.add(f.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = new IOException("allocation on " + server + " failed: " + e.getCause().getMessage(),
                            e.getCause());
                }
            }
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        ChannelAllocations allocations = new ChannelAllocations(server, made);
        if (failure != null) {
            allocations.close();
            throw failure;
        }
        return allocations;
    }

    private static Held allocate(InetSocketAddress server, String username, String password, InetSocketAddress peer,
            AtomicInteger nextPort) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return allocateOnce(server, username, password, peer, nextPort);
            } catch (TurnException e) {
                // 437: the 5-tuple still holds an allocation (an earlier one whose port came back to us, or coturn
                // mistaking a retransmission); another local port is another 5-tuple. 0: no answer at all (a relay
                // starved on a machine busy with other work): try again before giving up the whole run.
                if (e.code() != 437 || attempt == 3) {
                    throw e;
                }
            } catch (UncheckedIOException noAnswer) {
                if (attempt == 3) {
                    throw noAnswer;
                }
            }
        }
    }

    private static Held allocateOnce(InetSocketAddress server, String username, String password,
            InetSocketAddress peer, AtomicInteger nextPort) throws IOException {
        try (DatagramChannel channel = openOnClientPort(server, nextPort)) {
            TurnClient client = TurnClient.over(channel, ANSWER_WAIT).retransmitting().credentials(username, password);
            client.allocate(LIFETIME_SECONDS).orThrow();
            client.channelBind(CHANNEL, peer).orThrow();
            return new Held(((InetSocketAddress) channel.getLocalAddress()).getPort(), username, password);
        }
    }

    /** A channel on the next free port of {@link #CLIENT_PORTS}, counting from {@code nextPort}. */
    private static DatagramChannel openOnClientPort(InetSocketAddress server, AtomicInteger nextPort)
            throws IOException {
        int size = CLIENT_PORTS.max() - CLIENT_PORTS.min() + 1;
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                return open(server, CLIENT_PORTS.min() + Math.floorMod(nextPort.getAndIncrement(), size));
            } catch (BindException taken) {
                // another process has it: the next one
            }
        }
        throw new IOException("no free local port in " + CLIENT_PORTS + " after 100 attempts");
    }

    private static DatagramChannel open(InetSocketAddress server, int localPort) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 16);
            channel.bind(new InetSocketAddress("127.0.0.1", localPort));
            channel.connect(server);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** For the load client: from each allocation's local port to the server, ChannelData on {@link #CHANNEL}. */
    public List<LoadClient.Tuple> tuples() {
        return held.stream().map(h -> new LoadClient.Tuple(h.localPort(), server.getPort(), CHANNEL)).toList();
    }

    /** Deletes every allocation (best effort: one whose port was taken meanwhile expires on the server). */
    @Override
    public void close() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(8, held.size())));
        for (Held h : held) {
            pool.submit(() -> {
                try (DatagramChannel channel = open(server, h.localPort())) {
                    TurnClient.over(channel, ANSWER_WAIT).retransmitting().credentials(h.username(), h.password()).refresh(0);
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        held.clear();
    }
}
