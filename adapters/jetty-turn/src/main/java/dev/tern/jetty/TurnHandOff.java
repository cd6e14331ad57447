package dev.tern.jetty;

import dev.tern.relay.shared.FirstBytes;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;

/**
 * For a homeserver on Jetty 12 that owns port 443: hands each connection whose first bytes after the TLS handshake
 * are STUN or ChannelData (the relay's own rule, {@link FirstBytes}) to a Tern relay's loopback {@code tcp://}
 * listener, while anything else (an HTTP request line, the HTTP/2 preface) stays Jetty's. Put it in a
 * {@link DetectorConnectionFactory} right after the connector's {@code SslConnectionFactory} (or first, on a plain
 * connector behind a TLS-terminating proxy):
 *
 * <pre>
 * var turn = new DetectorConnectionFactory(new TurnHandOff(new InetSocketAddress("127.0.0.1", 3479)));
 * var connector = new ServerConnector(server, sslContextFactory, turn, new HttpConnectionFactory());
 * </pre>
 *
 * <p>Detection answers {@code RECOGNIZED} for TURN, {@code NOT_RECOGNIZED} for anything else and
 * {@code NEED_MORE_BYTES} while fewer than {@link FirstBytes#NEEDED} bytes say nothing yet; the wait for those first
 * bytes is bounded by the connector's idle timeout. A recognized connection is piped both ways to {@code relay},
 * starting with a PROXY protocol v2 header naming the client's address, so the relay must trust this host's
 * loopback address ({@code proxy_protocol.trusted: [127.0.0.1/32]}); its quotas, deny list and logs then see the
 * client (the relay's per-source connection cap, {@code tcp.max_connections_per_source}, still counts this host's
 * 127.0.0.1: raise it). Back-pressure: one buffer per direction (16 KiB to the relay; to the client 64 KiB, one
 * largest message), read again only once written; the client gets one whole message per TLS record, as from the
 * relay's own TLS listeners. The pipe closes both sides together when either ends, fails, or carries nothing for
 * {@code idleTimeout} (default {@link #DEFAULT_IDLE_TIMEOUT}: longer than the 10 minutes within which a TURN client
 * refreshes its allocation).
 * ALPN is not consulted: a connector that negotiates ALPN hands the detector's decision to the first bytes.
 *
 * <p>Thread-safe; one instance serves the whole connector.
 */
public final class TurnHandOff extends AbstractConnectionFactory implements ConnectionFactory.Detecting {

    /** The protocol name this factory registers under in the connector. */
    public static final String PROTOCOL = "tern-turn";
    /** How long a handed-off connection may carry nothing before both sides are closed. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);

    private final InetSocketAddress relay;
    private final Duration idleTimeout;

    /** Hands TURN connections to the relay listening on loopback {@code relay} ({@code tcp://127.0.0.1:PORT}). */
    public TurnHandOff(InetSocketAddress relay) {
        this(relay, DEFAULT_IDLE_TIMEOUT);
    }

    /**
     * @param relay the relay's plain {@code tcp://} listener, on loopback
     * @param idleTimeout how long a handed-off connection may carry nothing before both sides are closed
     * @throws IllegalArgumentException when {@code relay} is unresolved or {@code idleTimeout} is not positive
     */
    public TurnHandOff(InetSocketAddress relay, Duration idleTimeout) {
        super(PROTOCOL);
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (relay.isUnresolved()) {
            throw new IllegalArgumentException("relay address " + relay + " is unresolved: give the relay's "
                    + "tcp:// listener as an IP address and port");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
        }
        this.relay = relay;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public Detection detect(ByteBuffer buffer) {
        return switch (FirstBytes.classify(Unpooled.wrappedBuffer(buffer.slice()))) {
            case TURN -> Detection.RECOGNIZED;
            case MORE -> Detection.NEED_MORE_BYTES;
            case HTTP_1_1, HTTP_2, GARBAGE -> Detection.NOT_RECOGNIZED;
        };
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        return configure(new TurnPipe(endPoint, connector.getExecutor(), relay, idleTimeout), connector, endPoint);
    }
}
