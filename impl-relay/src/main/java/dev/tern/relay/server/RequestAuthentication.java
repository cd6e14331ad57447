package dev.tern.relay.server;

import dev.tern.relay.auth.AuthOutcome;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunCredentials;
import dev.tern.stun.StunMessage;
import dev.tern.relay.core.request.Refusal;
import dev.tern.relay.core.request.Report;
import java.net.InetSocketAddress;

/**
 * The transport's side of authentication and refusals: runs the long-term credential check on the request's bytes
 * (integrity is an HMAC over them) for the TURN core to decide on, signs the replies of authenticated requests, and
 * sends the core's refusals: the error, with REALM, a fresh NONCE and PASSWORD-ALGORITHMS for a challenge, and the
 * report to listeners.
 *
 * <p>Thread-safe if the runtime is (it keeps no state).
 */
final class RequestAuthentication {

    private final RelayRuntime runtime;

    RequestAuthentication(RelayRuntime runtime) {
        this.runtime = runtime;
    }

    /** Checks the request's credentials. */
    AuthOutcome check(StunMessage request, InetSocketAddress client) {
        return runtime.admission().authenticator().authenticate(StunCredentials.of(request), client);
    }

    /** The reply signed with the request's key when it authenticated, else {@code unsigned}. */
    static Reply signedFor(AuthOutcome outcome, Reply unsigned) {
        return outcome instanceof AuthOutcome.Authenticated ok ? unsigned.signed(signing(ok)) : unsigned;
    }

    /** Sends a refusal and reports it. */
    void refuse(Reply reply, Refusal refusal) {
        Report report = refusal.report();
        if (report instanceof Report.Auth auth) {
            runtime.observers().events().authFailed(auth.failure());
        } else if (report instanceof Report.Quota quota) {
            runtime.observers().events().quotaRefused(quota.reason());
        } else if (report instanceof Report.PeerRefused) {
            runtime.observers().events().peerRefused();
        }
        if (!refusal.challenge() && refusal.unknownAttributes().isEmpty()) {
            reply.error(refusal.code(), refusal.reason());
            return;
        }
        reply.error(refusal.code(), refusal.reason(), w -> {
            if (!refusal.unknownAttributes().isEmpty()) {
                w.unknownAttributes(refusal.unknownAttributes());
            }
            if (refusal.challenge()) {
                w.string(StunAttribute.REALM, runtime.admission().authenticator().realm());
                w.string(StunAttribute.NONCE, runtime.admission().authenticator().nonceFor(reply.client()));
                w.passwordAlgorithms();
            }
        });
    }

    /** How responses to an authenticated request are signed. */
    static Responder.Signing signing(AuthOutcome.Authenticated auth) {
        return new Responder.Signing(auth.keyBytes(), auth.sha256Integrity());
    }
}
