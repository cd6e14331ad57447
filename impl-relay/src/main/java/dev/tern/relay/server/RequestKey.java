package dev.tern.relay.server;

import dev.tern.relay.allocation.ResponseCache;
import dev.tern.stun.StunMessage;
import dev.tern.stun.TransactionId;

/**
 * Identifies one request for the retransmission cache: its transaction id and a hash of its bytes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param tid the transaction id, which the response repeats
 * @param hash a hash of the whole request
 */
record RequestKey(TransactionId tid, long hash) {

    static RequestKey of(StunMessage request) {
        return new RequestKey(request.transactionId(),
                ResponseCache.hash(request.buffer().slice(request.start(), request.length())));
    }
}
