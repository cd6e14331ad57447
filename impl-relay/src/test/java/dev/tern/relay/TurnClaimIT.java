package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Transport;
import dev.tern.spi.TurnCredentials;
import dev.tern.stun.ChannelNumbers;
import dev.tern.relay.tls.ReloadingSslContext;
import dev.tern.turn.client.TurnClient;
import dev.tern.testing.TlsClient;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A homeserver's own Netty HTTPS server handing TURN connections to Tern ({@code relay.newTurnClaim()} after its
 * {@code SslHandler}, the README's example): a "homeserver" on NIO event loops of its own with its own TLS context
 * (ALPN {@code stun.turn} first, then {@code http/1.1}) answers HTTP itself, while JDK TLS clients offering
 * {@code stun.turn} (as coturn's uclient does, with {@code http/1.1}) or no ALPN at all (by their first bytes)
 * allocate on the relay it embeds, their connections moved from the homeserver's event loop to the relay's.
 */
class TurnClaimIT {

    private static final byte[] HOMESERVER = ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\n"
            + "homeserver").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;
    private static Path cert;
    private static RelayFixture relay;
    private static EventLoopGroup homeserverLoops;
    private static Channel homeserver;

    @BeforeAll
    static void start() throws Exception {
        cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TestCertificates.selfSigned(cert, key, "127.0.0.1");
        relay = RelayFixture.onNio(RelayFixture.config(List.of("127.0.0.1"), null)
                .toBuilder().channelNumbers(ChannelNumbers.COTURN).build());
        SslContext tls = SslContextBuilder.forServer(cert.toFile(), key.toFile()).sslProvider(SslProvider.JDK)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ReloadingSslContext.ALPN_TURN, ApplicationProtocolNames.HTTP_1_1))
                .build();
        homeserverLoops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        homeserver = new ServerBootstrap().group(homeserverLoops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast("turn", relay.server().newTurnClaim());
                        ch.pipeline().addLast("http", new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                                ctx.writeAndFlush(Unpooled.wrappedBuffer(HOMESERVER))
                                        .addListener(ChannelFutureListener.CLOSE);
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    @AfterAll
    static void stop() throws Exception {
        if (homeserver != null) {
            homeserver.close().syncUninterruptibly();
            homeserverLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (relay != null) {
            relay.close();
        }
    }

    private static int port() {
        return ((InetSocketAddress) homeserver.localAddress()).getPort();
    }

    private static SSLSocket tls(String... alpn) throws Exception {
        return TlsClient.handshake(TlsClient.trusting(cert), new Socket(InetAddress.getLoopbackAddress(), port()),
                java.time.Duration.ofSeconds(5), alpn);
    }

    @Test
    void aClientOfferingStunTurnIsTernsFromItsHandshake() throws Exception {
        TurnCredentials c = relay.credentials("@bob:tern.test");
        try (TurnClient turn = TurnClient.overStream(tls("stun.turn", "http/1.1"), java.time.Duration.ofSeconds(5))
                .credentials(c.username(), c.password())) {
            assertEquals("stun.turn", ((SSLSocket) turn.streamSocket()).getApplicationProtocol());
            assertTrue(turn.allocate().success());
            assertTrue(turn.channelBind(0x4001, new InetSocketAddress("127.0.0.1", 9)).success());
        }
    }

    @Test
    void aClaimedConnectionIsClosedAtTheDrainDeadlineAsTheRelaysOwnConnectionsAre() throws Exception {
        RelayFixture other = RelayFixture.onNio(RelayFixture.config(List.of("127.0.0.1"), null));
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel server = null;
        try {
            server = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("turn", other.server().newTurnClaim());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
            TurnCredentials c = other.credentials("@carol:tern.test");
            java.net.Socket plain = new java.net.Socket(InetAddress.getLoopbackAddress(),
                    ((InetSocketAddress) server.localAddress()).getPort());
            plain.setSoTimeout(5000);
            try (TurnClient turn = TurnClient.overStream(plain, java.time.Duration.ofSeconds(5))
                    .credentials(c.username(), c.password())) {
                assertTrue(turn.allocate().success());
                other.server().drain(java.time.Duration.ofMillis(200)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertEquals(-1, plain.getInputStream().read(), "the drain's deadline closed the claimed connection");
            }
        } finally {
            if (server != null) {
                server.close().syncUninterruptibly();
            }
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            other.close();
        }
    }

    @Test
    void theHomeserverKeepsItsHttpAndTernTakesTurnByTheFirstBytes() throws Exception {
        try (SSLSocket http = tls()) {
            http.getOutputStream().write("GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            http.getOutputStream().flush();
            assertTrue(new String(http.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).endsWith("homeserver"));
        }
        TurnCredentials c = relay.credentials("@alice:tern.test");
        try (TurnClient turn = TurnClient.overStream(tls(), java.time.Duration.ofSeconds(5))
                .credentials(c.username(), c.password())) {
            assertTrue(turn.allocate().success());
            assertTrue(relay.server().allocations().stream().anyMatch(a -> a.addresses().transport() == Transport.TLS),
                    relay.server().allocations()::toString);
        }
    }
}
