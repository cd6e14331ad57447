package dev.tern.relay.server;

import dev.tern.stun.Fingerprint;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessage;
import dev.tern.stun.StunMessageWriter;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * Where and how to answer one request: the client, the method, the request's key for the cache, the
 * signing key once the request is authenticated, and whether to add FINGERPRINT (when the request had
 * one). Outlives the request's buffer, so an Allocate can be answered after its policy decision.
 *
 * <p>Immutable; use on the listening socket's event loop.
 */
record Reply(Responder responder, InetSocketAddress client, int method, RequestKey key, Responder.Signing signing,
        boolean fingerprint) {

    /** An unsigned reply to {@code request}. */
    static Reply to(Responder responder, StunMessage request, InetSocketAddress client) {
        return new Reply(responder, client, request.method(), RequestKey.of(request), Responder.Signing.NONE,
                Fingerprint.present(request));
    }

    /** This reply signed with the request's key. */
    Reply signed(Responder.Signing by) {
        return new Reply(responder, client, method, key, by, fingerprint);
    }

    /** Sends a success response with these attributes. */
    void success(Consumer<StunMessageWriter> attributes) {
        responder.send(client, method, StunClass.SUCCESS_RESPONSE, key, signing, fingerprint, attributes);
    }

    /** Sends a success response with no attributes of its own. */
    void success() {
        success(w -> { });
    }

    /** Sends an error response. */
    void error(int code, String reason) {
        responder.error(client, method, key, signing, fingerprint, code, reason);
    }

    /** Sends an error response with extra attributes after ERROR-CODE. */
    void error(int code, String reason, Consumer<StunMessageWriter> attributes) {
        responder.send(client, method, StunClass.ERROR_RESPONSE, key, signing, fingerprint, w -> {
            w.errorCode(code, reason);
            attributes.accept(w);
        });
    }

    /** Marks the request as being processed (retransmissions are dropped until the answer). */
    void markInProgress() {
        responder.markInProgress(client, key);
    }
}
