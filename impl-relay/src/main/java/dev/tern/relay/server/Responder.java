package dev.tern.relay.server;

import dev.tern.relay.allocation.ResponseCache;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessageWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Writes responses the same way everywhere: SOFTWARE when configured, MESSAGE-INTEGRITY (or -SHA256)
 * with the request's key when it was authenticated, FINGERPRINT when the request had one; then sends
 * the response and keeps it in the retransmission cache.
 *
 * <p>Not thread-safe: one per listening socket, used on its event loop.
 */
final class Responder {

    private final Channel channel;
    private final ResponseCache cache;
    private final Optional<String> software;
    private final java.util.function.LongSupplier nanoTime;

    Responder(Channel channel, ResponseCache cache, Optional<String> software, java.util.function.LongSupplier nanoTime) {
        this.channel = channel;
        this.cache = cache;
        this.software = software;
        this.nanoTime = nanoTime;
    }

    /**
     * How a response is signed: not at all, or with MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256 under
     * {@code key} (see {@link dev.tern.relay.auth.AuthOutcome.Authenticated} for which).
     */
    record Signing(byte[] key, boolean sha256) {
        static final Signing NONE = new Signing(null, false);

        /** Adds the integrity attribute, if any, to a response whose other attributes are written. */
        void sign(StunMessageWriter w) {
            if (key == null) {
                return;
            }
            if (sha256) {
                w.integritySha256(key);
            } else {
                w.integrity(key);
            }
        }
    }

    /**
     * Sends a response to {@code client}.
     *
     * @param attributes adds the method-specific attributes
     * @param fingerprint whether to end with FINGERPRINT
     */
    void send(InetSocketAddress client, int method, StunClass cls, RequestKey request, Signing signing,
            boolean fingerprint, Consumer<StunMessageWriter> attributes) {
        ByteBuf out = channel.alloc().ioBuffer(128);
        StunMessageWriter w = StunMessageWriter.start(out, method, cls, request.tid());
        attributes.accept(w);
        software.ifPresent(s -> w.string(StunAttribute.SOFTWARE, s));
        signing.sign(w);
        if (fingerprint) {
            w.fingerprint();
        }
        ByteBuf response = w.finish();
        cache.store(client, request.tid(), request.hash(), response, nanoTime.getAsLong());
        channel.writeAndFlush(new DatagramPacket(response, client), channel.voidPromise());
    }

    /** Sends an error response. */
    void error(InetSocketAddress client, int method, RequestKey request, Signing signing, boolean fingerprint,
            int code, String reason) {
        send(client, method, StunClass.ERROR_RESPONSE, request, signing, fingerprint, w -> w.errorCode(code, reason));
    }

    /** Marks a request as being processed, so retransmissions are dropped until it is answered. */
    void markInProgress(InetSocketAddress client, RequestKey request) {
        cache.markInProgress(client, request.tid(), request.hash(), nanoTime.getAsLong());
    }

    /** Resends a cached response (takes over the reference). */
    void resend(InetSocketAddress client, ByteBuf response) {
        channel.writeAndFlush(new DatagramPacket(response, client), channel.voidPromise());
    }
}
