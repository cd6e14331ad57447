package dev.tern.relay.tls;

import dev.tern.relay.RelayConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server TLS context of the relay's {@code tls://} listeners, rebuilt when the certificate or key
 * file changes: every {@code reload_interval} the files' modification times are compared, and a change
 * builds a new {@link SslContext} that new connections use; open connections keep the one they
 * started with. A file that cannot be loaded (half-written during a renewal, a key that does not
 * match its certificate) keeps the old context and is tried again at the next check.
 *
 * <p>TLS 1.2 and 1.3 only, the configured cipher suites (else the provider's defaults), ALPN
 * {@code stun.turn} (RFC 7443) accepted but not required. BoringSSL (netty-tcnative) when it loads,
 * else the JDK provider; {@link #provider()} says which.
 *
 * <p>Thread-safe: the current context is published through a volatile field.
 */
public final class ReloadingSslContext implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingSslContext.class);
    /** The ALPN protocol id of TURN (RFC 7443). */
    public static final String ALPN_TURN = "stun.turn";
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final RelayConfig.Tls settings;
    private final List<String> alpn;
    private final SslProvider provider;
    private volatile SslContext current;
    private volatile Stamp loaded;
    private ScheduledFuture<?> poll;

    /** The modification times and sizes a context was built from. */
    private record Stamp(FileTime cert, long certSize, FileTime key, long keySize) {
        static Stamp of(Path cert, Path key) throws IOException {
            return new Stamp(Files.getLastModifiedTime(cert), Files.size(cert), Files.getLastModifiedTime(key),
                    Files.size(key));
        }
    }

    /**
     * Loads the certificate and key now.
     *
     * @throws IllegalStateException when they cannot be loaded (the message names the files, never key bytes)
     */
    public ReloadingSslContext(RelayConfig.Tls settings) {
        this(settings, List.of(ALPN_TURN));
    }

    /**
     * Loads the certificate and key now, for a listener whose ALPN protocols are {@code alpn}, in the server's
     * order of preference (a port shared with HTTPS: {@code h2}, {@code http/1.1}, {@code stun.turn}).
     *
     * @throws IllegalStateException when they cannot be loaded (the message names the files, never key bytes)
     */
    public ReloadingSslContext(RelayConfig.Tls settings, List<String> alpn) {
        this.settings = settings;
        this.alpn = List.copyOf(alpn);
        this.provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        try {
            Stamp stamp = Stamp.of(settings.certFile(), settings.keyFile());
            current = build();
            loaded = stamp;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot load the TLS certificate " + settings.certFile() + " and key "
                    + settings.keyFile() + ": " + describe(e), e);
        }
    }

    /** Starts checking the files every {@code reload_interval} on {@code scheduler}. */
    public synchronized void watch(ScheduledExecutorService scheduler) {
        long every = settings.reloadInterval().toMillis();
        poll = scheduler.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
    }

    /** Checks the files now and reloads them if they changed; returns whether a new context is in use. */
    public boolean reloadIfChanged() {
        Stamp stamp;
        try {
            stamp = Stamp.of(settings.certFile(), settings.keyFile());
        } catch (IOException e) {
            LOG.warn("cannot read the TLS certificate or key file, keeping the loaded one: {}", describe(e));
            return false;
        }
        if (stamp.equals(loaded)) {
            return false;
        }
        try {
            current = build();
            loaded = stamp;
            LOG.info("reloaded the TLS certificate {} (new connections use it)", settings.certFile());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot load the changed TLS certificate {}, keeping the loaded one (retrying): {}",
                    settings.certFile(), describe(e));
            return false;
        }
    }

    /** The provider in use: {@code OPENSSL} (netty-tcnative BoringSSL) or {@code JDK}. */
    public SslProvider provider() {
        return provider;
    }

    /** The context new connections use. */
    public SslContext current() {
        return current;
    }

    /** A server-side handler for a new connection, with the handshake deadline set. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = current.newHandler(alloc);
        handler.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
        return handler;
    }

    private SslContext build() throws IOException {
        PemKeyPair pem = PemKeyPair.read(settings.certFile(), settings.keyFile());
        SslContextBuilder builder = SslContextBuilder.forServer(pem.key(), pem.chain())
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                        SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, alpn));
        List<String> ciphers = settings.ciphers();
        if (!ciphers.isEmpty()) {
            builder.ciphers(ciphers, IdentityCipherSuiteFilter.INSTANCE);
        }
        return builder.build();
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    @Override
    public synchronized void close() {
        if (poll != null) {
            poll.cancel(false);
        }
    }
}
