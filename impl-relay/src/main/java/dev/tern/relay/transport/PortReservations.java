package dev.tern.relay.transport;

import io.netty.channel.Channel;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Relay ports held for a later Allocate with RESERVATION-TOKEN (RFC 8656 section 7.2, EVEN-PORT with
 * the R bit: the port after an even relayed port, for RTCP). A reservation holds the port with a bound
 * socket that drops everything, and ends after 30 seconds if unused.
 *
 * <p>Thread-safe. Tokens are random 64-bit numbers, so they cannot be guessed to steal a port.
 */
public final class PortReservations {

    /** How long an unused reservation lasts. */
    public static final long LIFETIME_SECONDS = 30;

    private final ConcurrentHashMap<Long, Channel> held = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** Holds {@code socket}'s port and returns the token that claims it. */
    public long hold(Channel socket) {
        long token;
        do {
            token = random.nextLong();
        } while (held.putIfAbsent(token, socket) != null);
        long t = token;
        socket.eventLoop().schedule(() -> {
            if (held.remove(t, socket)) {
                socket.close();
            }
        }, LIFETIME_SECONDS, TimeUnit.SECONDS);
        return token;
    }

    /** Claims a reservation: the holding socket, which the caller closes to reuse its port. */
    public Optional<Channel> take(long token) {
        return Optional.ofNullable(held.remove(token));
    }

    /** Releases every reservation. */
    public void clear() {
        for (Long token : held.keySet()) {
            take(token).ifPresent(Channel::close);
        }
    }

    /** The number of reservations held. */
    public int size() {
        return held.size();
    }
}
