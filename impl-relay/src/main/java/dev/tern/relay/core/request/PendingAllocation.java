package dev.tern.relay.core.request;

import dev.tern.spi.Subject;
import dev.tern.spi.Transport;
import dev.tern.relay.auth.AuthOutcome;
import java.net.InetSocketAddress;
import java.util.OptionalLong;

/**
 * An Allocate that passed the request checks, on its way through policy, quotas and port binding; it outlives the
 * request's buffer.
 *
 * @param client the client's transport address
 * @param transport how the client reaches the relay
 * @param auth its authenticated credentials and key
 * @param subject who policy is asked about
 * @param ports the relay ports to bind
 * @param lifetime the lifetime asked for, if any
 */
public record PendingAllocation(InetSocketAddress client, Transport transport, AuthOutcome.Authenticated auth,
        Subject subject, Ports ports, OptionalLong lifetime) {

    /**
     * The relay ports an admitted Allocate is to get.
     *
     * @param family the STUN family of the relayed address (its reserved port's family when {@code reservationToken}
     *     is present)
     * @param additionalIpv6 whether an IPv6 relayed address is asked for too (a dual allocation)
     * @param evenPort whether the relay port must be even
     * @param reserveNext whether the next port is to be reserved too (EVEN-PORT's R bit)
     * @param reservationToken the reserved port to take, if the request names one
     * @param dontFragment whether relay sockets are to set DF
     */
    public record Ports(int family, boolean additionalIpv6, boolean evenPort, boolean reserveNext,
            OptionalLong reservationToken, boolean dontFragment) {
    }

    /** The user the allocation is for. */
    public String userId() {
        return auth.credentials().userId();
    }
}
