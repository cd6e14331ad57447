package dev.tern.relay.server;

import dev.tern.relay.auth.AuthOutcome;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunMessage;
import java.net.InetSocketAddress;

/**
 * Runs the long-term credential check for a request and answers the ones that fail: 400, or 401/438
 * with REALM, a fresh NONCE and PASSWORD-ALGORITHMS. Failures are reported to listeners.
 *
 * <p>Thread-safe if the runtime is (it keeps no state).
 */
final class RequestAuthentication {

    private final RelayRuntime runtime;

    RequestAuthentication(RelayRuntime runtime) {
        this.runtime = runtime;
    }

    /** The authenticated request, or {@code null} once the refusal has been sent. */
    AuthOutcome.Authenticated authenticate(StunMessage request, InetSocketAddress client, Reply reply) {
        AuthOutcome outcome = runtime.authenticator().authenticate(request, client);
        if (outcome instanceof AuthOutcome.Refused refused) {
            refused.failure().ifPresent(runtime.events()::authFailed);
            reply.error(refused.code(), refused.reason(), w -> {
                if (refused.challenge()) {
                    w.string(StunAttribute.REALM, runtime.authenticator().realm());
                    w.string(StunAttribute.NONCE, runtime.authenticator().nonceFor(client));
                    w.passwordAlgorithms();
                }
            });
            return null;
        }
        return (AuthOutcome.Authenticated) outcome;
    }

    /** How responses to an authenticated request are signed. */
    static Responder.Signing signing(AuthOutcome.Authenticated auth) {
        return new Responder.Signing(auth.keyBytes(), auth.sha256Integrity());
    }
}
