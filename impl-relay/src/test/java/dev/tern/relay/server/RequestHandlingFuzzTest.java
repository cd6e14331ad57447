package dev.tern.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.Secret;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnCredentials;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.credentials.rest.RestCredentialsProvider;
import dev.tern.relay.RelayConfig;
import dev.tern.relay.allocation.AllocationRegistry;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.auth.LongTermAuthenticator;
import dev.tern.relay.nonce.NonceService;
import dev.tern.relay.peer.PeerAddressFilter;
import dev.tern.relay.transport.BatchedFlush;
import dev.tern.relay.transport.ClientDataHandler;
import dev.tern.relay.transport.EventLoops;
import dev.tern.relay.transport.PortReservations;
import dev.tern.relay.transport.RelayFamilies;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.LongTermKey;
import dev.tern.spi.MetricsRecorder;
import dev.tern.host.SimpleProviderContext;
import dev.tern.spi.Verification;
import dev.tern.stun.Fingerprint;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessage;
import dev.tern.stun.StunMessageWriter;
import dev.tern.stun.StunParse;
import dev.tern.stun.TransactionId;
import dev.tern.testing.FreePorts;
import dev.tern.testing.MutableClock;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the relay's request handling (issue #16 point 14): the real
 * {@link ClientDataHandler} and {@link StunRequestHandler} on a real UDP listening socket and event loop,
 * with the real {@code rest} credential verifier, nonces, peer filter, quotas and relay port binding
 * (relay sockets on loopback). Datagrams are handed to the pipeline as if received; what the relay
 * sends back is caught at the head of the pipeline, so nothing is sent to a client.
 *
 * <p>An input is a settings byte (bit 0: Binding needs credentials, bit 1: SOFTWARE, bit 2: lifetimes
 * capped by the credential, bits 3-4: the user quota 0, 1, 2 or unlimited), then records of
 * {@code op, length (2 bytes), datagram}. {@code op} bits 0-1 pick one of four clients; bit 2 signs the
 * datagram: its attributes (after a 20-byte header whose type and transaction id are kept) are written
 * again with a valid USERNAME, REALM, fresh NONCE and MESSAGE-INTEGRITY of one of two users (bit 6),
 * with the SHA-256 algorithm and MESSAGE-INTEGRITY-SHA256 (bit 3) and a FINGERPRINT (bit 4), so the
 * fuzzer reaches what comes after authentication; bit 5 moves the clocks 301 s on afterwards
 * (permissions expire). Corpus in {@code src/test/resources/dev/tern/relay/server/RequestHandlingFuzzTestInputs/}:
 * sessions captured from coturn's {@code turnutils_uclient} and Chromium, and the RFC vectors.
 *
 * <p>What must hold: no exception reaches a handler's caller or its {@code exceptionCaught}; every
 * well-formed request (right FINGERPRINT or none) gets an answer within 10 s, and only requests get
 * answers: well-formed STUN responses with the request's transaction id, an ERROR-CODE on errors, a
 * valid FINGERPRINT when the request had one; closing the socket deletes every allocation and frees
 * every quota slot; every received and sent buffer is released in the end.
 */
class RequestHandlingFuzzTest {

    private static final String REALM = "tern.test";
    private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");
    private static final List<InetSocketAddress> CLIENTS = List.of(new InetSocketAddress("127.0.0.1", 40001),
            new InetSocketAddress("127.0.0.1", 40002), new InetSocketAddress("127.0.0.2", 40003),
            new InetSocketAddress("::1", 40004));
    private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final MutableClock clock = new MutableClock(START);
    private static final AtomicLong nanos = new AtomicLong();
    private static ScheduledExecutorService scheduler;
    private static CredentialIssuer issuer;
    private static LongTermAuthenticator authenticator;
    private static EventLoopGroup group;
    private static RelayConfig.PortRange ports;
    private static final List<User> users = new ArrayList<>();

    /** Credentials of a user and the long-term key they verify to. */
    private record User(String username, LongTermKey key) {
    }

    @BeforeAll
    static void relay() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        SimpleProviderContext ctx = new SimpleProviderContext(REALM, clock, scheduler, HttpClient.newHttpClient(),
                MetricsRecorder.NONE, SimpleProviderContext.Directories.of(Path.of(".")));
        issuer = new RestCredentialsProvider().create(RestCredentialsConfig.of(
                List.of(Secret.of("tern-fuzz-secret-0123456789abcdef")), List.of()), ctx);
        authenticator = new LongTermAuthenticator(REALM, issuer.verifier().orElseThrow(),
                new NonceService(new byte[32], clock, Duration.ofMinutes(10)),
                new dev.tern.relay.auth.FailedCheckLimiter(100, 100, Duration.ofSeconds(1), 100, System::nanoTime,
                        dev.tern.relay.auth.FailedCheckLog.warnings(
                                dev.tern.guard.ClientLogThrottle.perMinute(clock))));
        for (String user : List.of("@alice:tern.test", "@bob:tern.test")) {
            TurnCredentials c = issuer.issue(Subject.user(user), Duration.ofHours(1));
            Verification.Accepted ok = assertInstanceOf(Verification.Accepted.class,
                    issuer.verifier().orElseThrow().verify(c.username(), REALM));
            users.add(new User(c.username(), ok.keys().get(0)));
        }
        group = EventLoops.nio().newGroup(1);
        dev.tern.testing.PortRange range = FreePorts.relayRange(200);
        ports = new RelayConfig.PortRange(range.min(), range.max());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        issuer.close();
        scheduler.shutdownNow();
    }

    @FuzzTest(maxDuration = "5m")
    void everyRequestIsAnsweredAndNothingLeaks(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        clock.set(START);
        nanos.set(0);
        int settings = input[0] & 0xFF;
        int quota = switch ((settings >> 3) & 3) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 2;
            default -> Integer.MAX_VALUE;
        };
        AllocationRegistry registry = new AllocationRegistry(8, 4);
        PortReservations reservations = new PortReservations();
        PeerAddressFilter filter = PeerAddressFilter.create(List.of("127.0.0.1"), List.of("0.0.0.0/0", "::/0"),
                List.of());
        dev.tern.relay.peer.ListenerAddresses listeners = new dev.tern.relay.peer.ListenerAddresses(List.of());
        RelayRuntime.Planes planes = new RelayRuntime.Planes(
                RelayFamilies.of(EventLoops.nio(), List.of(
                        new RelayConfig.RelayAddress(InetAddress.getByName("127.0.0.1"),
                                InetAddress.getByName("127.0.0.1")),
                        new RelayConfig.RelayAddress(InetAddress.getByName("::1"), InetAddress.getByName("::1"))),
                        ports),
                reservations, new dev.tern.relay.plane.UserSpacePlane(), listeners,
                new dev.tern.relay.allocation.OwnAddresses(new dev.tern.relay.peer.OwnHosts(List.of()), listeners,
                        filter));
        dev.tern.relay.core.request.CoreSettings turn = dev.tern.relay.core.request.CoreSettings.builder()
                .serverName(REALM)
                .secureStun((settings & 1) != 0)
                .lifetimes(new dev.tern.relay.core.request.Lifetimes(Duration.ofMinutes(10), Duration.ofHours(1),
                        (settings & 4) != 0, clock))
                .userQuota(quota)
                .maxPermissions(10)
                .channelNumbers(dev.tern.stun.ChannelNumbers.COTURN)
                .families(planes.relayedFamilies())
                .build();
        RelayRuntime runtime = new RelayRuntime(
                new RelayRuntime.Settings(turn, (settings & 2) != 0 ? Optional.of("tern fuzz") : Optional.empty()),
                new RelayRuntime.Admission(authenticator, PolicyEvaluator.PERMISSIVE, registry,
                        new FleetLeases(dev.tern.spi.Fleet.NONE)),
                planes,
                new RelayRuntime.Observers(new RelayEvents(), dev.tern.guard.ClientLogThrottle.perMinute(clock)),
                clock, nanos::get);
        Relay relay = new Relay(runtime);
        try {
            int at = 1;
            while (at + 3 <= input.length) {
                int op = input[at] & 0xFF;
                int length = Math.min(((input[at + 1] & 0xFF) << 8) | (input[at + 2] & 0xFF), input.length - at - 3);
                byte[] datagram = Arrays.copyOfRange(input, at + 3, at + 3 + length);
                at += 3 + length;
                InetSocketAddress client = CLIENTS.get(op & 3);
                if ((op & 4) != 0) {
                    datagram = sign(datagram, client, users.get((op >> 6) & 1), (op & 8) != 0, (op & 16) != 0);
                }
                relay.receive(datagram, client);
                if ((op & 32) != 0) {
                    clock.advance(Duration.ofSeconds(301));
                    nanos.addAndGet(TimeUnit.SECONDS.toNanos(301));
                }
            }
        } finally {
            relay.close();
            reservations.clear();
        }
        assertEquals(0, registry.size(), "allocations left in the registry after the socket closed");
        relay.assertEverythingReleased();
    }

    /**
     * The datagram's attributes (walked leniently from byte 20; truncated ones dropped) written again
     * with valid long-term credentials for {@code client}.
     */
    private static byte[] sign(byte[] datagram, InetSocketAddress client, User user, boolean sha256,
            boolean fingerprint) {
        byte[] d = datagram.length >= 20 ? datagram : Arrays.copyOf(datagram, 20);
        int type = ((d[0] & 0x3F) << 8) | (d[1] & 0xFF);
        ByteBuf in = Unpooled.wrappedBuffer(d);
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageWriter w = StunMessageWriter.start(out, StunClass.methodOf(type), StunClass.of(type),
                    TransactionId.read(in, 8));
            int pos = 20;
            while (pos + 4 <= d.length) {
                int attribute = in.getUnsignedShort(pos);
                int len = in.getUnsignedShort(pos + 2);
                if (pos + 4 + len > d.length) {
                    break;
                }
                if (!credentialAttribute(attribute)) {
                    w.bytes(attribute, in.slice(pos + 4, len));
                }
                pos += 4 + ((len + 3) & ~3);
            }
            w.string(StunAttribute.USERNAME, user.username()).string(StunAttribute.REALM, REALM)
                    .string(StunAttribute.NONCE, authenticator.nonceFor(client));
            if (sha256) {
                w.passwordAlgorithms().passwordAlgorithm(StunAttribute.ALGORITHM_SHA256).integritySha256(user.key().sha256());
            } else {
                w.integrity(user.key().md5());
            }
            if (fingerprint) {
                w.fingerprint();
            }
            return ByteBufUtil.getBytes(w.finish());
        } finally {
            out.release();
        }
    }

    private static boolean credentialAttribute(int type) {
        return type == StunAttribute.USERNAME || type == StunAttribute.REALM || type == StunAttribute.NONCE
                || type == StunAttribute.MESSAGE_INTEGRITY || type == StunAttribute.MESSAGE_INTEGRITY_SHA256
                || type == StunAttribute.FINGERPRINT || type == StunAttribute.PASSWORD_ALGORITHM
                || type == StunAttribute.PASSWORD_ALGORITHMS || type == StunAttribute.USERHASH;
    }

    /** What the relay wrote to a client: the bytes, and the buffer (to check it is released in the end). */
    private record Sent(InetSocketAddress recipient, byte[] bytes, ByteBuf content) {
    }

    /** A request still waiting for its answer. */
    private record Pending(InetSocketAddress client, TransactionId tid, boolean fingerprint) {
    }

    /** A UDP listening socket with the relay's handlers between a catcher of what is sent and guards. */
    private static final class Relay {
        private final Channel listener;
        private final AllocationTable table = new AllocationTable();
        private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        private final List<ByteBuf> buffers = new ArrayList<>();
        private final Set<Pending> asked = new HashSet<>();

        Relay(RelayRuntime runtime) {
            StunRequestHandler stun = new StunRequestHandler(runtime, table, dev.tern.spi.Transport.UDP);
            listener = new Bootstrap().group(group).channelFactory(EventLoops.nio()
                            .datagramChannels(InetAddress.getLoopbackAddress()))
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            BatchedFlush.install(ch);
                            ch.pipeline().addLast("catch", new Catcher());
                            ch.pipeline().addLast("channel-data", new Guard(new ClientDataHandler(table,
                                    runtime.planes().ownAddresses(), runtime.nanoTime())));
                            ch.pipeline().addLast("stun", new Guard(stun));
                        }
                    }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
        }

        /** Hands the datagram to the pipeline as received from {@code client}, then waits for its answer. */
        void receive(byte[] datagram, InetSocketAddress client) {
            // Not wrappedBuffer: it gives the shared, never-released EMPTY_BUFFER for an empty datagram.
            ByteBuf content = Unpooled.buffer(Math.max(1, datagram.length)).writeBytes(datagram);
            buffers.add(content);
            Pending pending = expectedAnswer(content, client);
            // A read as the transport delivers it: the datagram, then the end of the read (which flushes the relay
            // sockets ChannelData went to).
            listener.eventLoop().submit(() -> listener.pipeline().fireChannelRead(
                    new DatagramPacket(content, (InetSocketAddress) listener.localAddress(), client))
                    .fireChannelReadComplete())
                    .syncUninterruptibly();
            assertNoFailure();
            if (pending == null) {
                return;
            }
            asked.add(pending);
            long deadline = System.nanoTime() + ANSWER_TIMEOUT_NANOS;
            while (!answered(pending)) {
                assertTrue(System.nanoTime() - deadline < 0, () -> "no answer within 10 s to " + pending);
                assertNoFailure();
                Thread.onSpinWait();
                listener.eventLoop().submit(() -> { }).syncUninterruptibly();
            }
            assertNoFailure();
        }

        /** The request the relay must answer, or null (not STUN, not a request, a bad FINGERPRINT). */
        private static Pending expectedAnswer(ByteBuf content, InetSocketAddress client) {
            if (!(StunMessage.parse(content) instanceof StunParse.Parsed parsed)) {
                return null;
            }
            StunMessage m = parsed.message();
            boolean fingerprint = Fingerprint.present(m);
            if (m.messageClass() != StunClass.REQUEST || fingerprint && !Fingerprint.matches(m)) {
                return null;
            }
            return new Pending(client, m.transactionId(), fingerprint);
        }

        private boolean answered(Pending pending) {
            for (Sent p : sent) {
                ByteBuf bytes = Unpooled.wrappedBuffer(p.bytes());
                if (p.recipient().equals(pending.client()) && StunMessage.looksLikeStun(bytes)
                        && TransactionId.read(bytes, 8).equals(pending.tid())) {
                    return true;
                }
            }
            return false;
        }

        private void assertNoFailure() {
            Throwable failure = failures.peek();
            if (failure != null) {
                throw new AssertionError("an exception escaped a relay handler", failure);
            }
        }

        void close() {
            listener.close().syncUninterruptibly();
            // Relay sockets close on the same loop; two turns let their close and the last flushes run.
            listener.eventLoop().submit(() -> { }).syncUninterruptibly();
            listener.eventLoop().submit(() -> { }).syncUninterruptibly();
        }

        void assertEverythingReleased() {
            assertNoFailure();
            assertEquals(0, table.size(), "allocations left in the socket's table after it closed");
            for (int i = 0; i < buffers.size(); i++) {
                ByteBuf b = buffers.get(i);
                int index = i;
                assertEquals(0, b.refCnt(), () -> "received datagram " + index + " was not released: "
                        + ByteBufUtil.hexDump(b, 0, Math.min(32, b.capacity())));
            }
            for (Sent p : sent) {
                checkAnswer(p);
                assertEquals(0, p.content().refCnt(), "a response was not released");
            }
        }

        /** What the relay sent a client: only responses to requests it was asked, well-formed. */
        private void checkAnswer(Sent p) {
            StunMessage m = assertInstanceOf(StunParse.Parsed.class, StunMessage.parse(Unpooled.wrappedBuffer(p.bytes())),
                    "the relay sent something that is not a STUN message").message();
            assertTrue(m.messageClass() == StunClass.SUCCESS_RESPONSE || m.messageClass() == StunClass.ERROR_RESPONSE,
                    () -> "the relay sent a " + m.messageClass() + " with no peer traffic");
            List<Pending> asked = this.asked.stream().filter(a -> a.client().equals(p.recipient())
                    && a.tid().equals(m.transactionId())).toList();
            assertTrue(!asked.isEmpty(), "an answer to nothing that was asked");
            if (m.messageClass() == StunClass.ERROR_RESPONSE) {
                ByteBuf error = m.attribute(StunAttribute.ERROR_CODE).orElseThrow(() ->
                        new AssertionError("an error response without ERROR-CODE"));
                int code = error.getUnsignedByte(error.readerIndex() + 2) * 100
                        + error.getUnsignedByte(error.readerIndex() + 3);
                assertTrue(code >= 300 && code <= 699, "error code " + code);
                assertTrue(code != 500, "a 500: the relay failed on a request");
            }
            // A client may reuse a transaction id with and without FINGERPRINT: each such request has its own answer.
            if (asked.stream().allMatch(Pending::fingerprint)) {
                assertTrue(Fingerprint.matches(m), "the request had a FINGERPRINT, the answer has none or a wrong one");
            } else if (Fingerprint.present(m)) {
                assertTrue(Fingerprint.matches(m), "an answer with a wrong FINGERPRINT");
            }
        }

        /** Catches what the relay writes to clients instead of sending it; keeps it to check later. */
        private final class Catcher extends ChannelDuplexHandler {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof DatagramPacket p) {
                    // The buffer object is kept to check its reference count at the end; no reference is held.
                    sent.add(new Sent(p.recipient(), ByteBufUtil.getBytes(p.content()), p.content()));
                }
                ReferenceCountUtil.release(msg);
                promise.trySuccess();
            }

            @Override
            public void flush(ChannelHandlerContext ctx) {
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                failures.add(cause);
            }
        }

        /** Runs a handler with the guard's context and records whatever it throws. */
        private final class Guard extends ChannelInboundHandlerAdapter {
            private final ChannelInboundHandler inner;

            Guard(ChannelInboundHandler inner) {
                this.inner = inner;
            }

            @Override
            public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
                inner.handlerAdded(ctx);
            }

            @Override
            public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
                inner.handlerRemoved(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    inner.channelRead(ctx, msg);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                try {
                    inner.channelReadComplete(ctx);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                try {
                    inner.channelInactive(ctx);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                failures.add(cause);
            }
        }
    }
}
