package dev.tern.launcher.probe;

import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks a TURN server end to end over UDP, the way a call uses it: a Binding request, then two allocations
 * (as the two sides of a relayed call), a permission each way, and a packet relayed each way between the two
 * relayed addresses; then both allocations are released. Each step is timed, and a failure is explained:
 * wrong credentials, stale nonce, a refused peer, quota, no answer.
 *
 * <p>Not thread-safe; one probe per instance. Every wait is bounded by the timeout. Never shows the password.
 */
public final class TurnProbe {

    /**
     * One step and how it went.
     *
     * @param name what was done, like {@code allocate (A)}
     * @param ok whether it worked
     * @param took how long it took
     * @param detail what was learned, or why it failed
     */
    public record Step(String name, boolean ok, Duration took, String detail) {
        public Step {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(took, "took");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The outcome: every step taken (the last one failed, unless all went well). */
    public record Result(List<Step> steps) {
        public Result {
            steps = List.copyOf(steps);
        }

        /** Whether every step worked. */
        public boolean ok() {
            return !steps.isEmpty() && steps.stream().allMatch(Step::ok);
        }
    }

    private final InetSocketAddress server;
    private final Duration timeout;
    private final List<Step> steps = new ArrayList<>();

    public TurnProbe(InetSocketAddress server, Duration timeout) {
        this.server = Objects.requireNonNull(server, "server");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Runs the probe with these credentials. */
    public Result run(String username, String password) {
        try (TurnClient a = new TurnClient(server, timeout); TurnClient b = new TurnClient(server, timeout)) {
            Optional<StunResponse> binding = step("binding", a::binding, r -> "mapped address "
                    + r.grant().mapped().map(TurnProbe::hostPort).orElse("(none)"));
            if (binding.isEmpty()) {
                return result();
            }
            a.credentials(username, password);
            b.credentials(username, password);
            Optional<StunResponse> allocatedA = step("allocate (A)", a::allocate, TurnProbe::allocated);
            if (allocatedA.isEmpty()) {
                return result();
            }
            Optional<StunResponse> allocatedB = step("allocate (B)", b::allocate, TurnProbe::allocated);
            if (allocatedB.isEmpty()) {
                return result();
            }
            InetSocketAddress relayedA = allocatedA.get().grant().relayed().orElseThrow();
            InetSocketAddress relayedB = allocatedB.get().grant().relayed().orElseThrow();
            if (step("permission A->B", () -> a.createPermission(relayedB), r -> "peer " + hostPort(relayedB)).isEmpty()
                    || step("permission B->A", () -> b.createPermission(relayedA), r -> "peer " + hostPort(relayedA))
                            .isEmpty()
                    || !relay("relay A->B", a, b, relayedB) || !relay("relay B->A", b, a, relayedA)) {
                return result();
            }
            step("release", () -> {
                StunResponse first = a.refresh(0);
                return first.success() ? b.refresh(0) : first;
            }, r -> "both allocations deleted");
            return result();
        } catch (UncheckedIOException e) {
            steps.add(new Step("socket", false, Duration.ZERO, "cannot use a UDP socket: " + e.getCause().getMessage()));
            return result();
        }
    }

    private Result result() {
        return new Result(steps);
    }

    private boolean relay(String name, TurnClient from, TurnClient to, InetSocketAddress peer) {
        byte[] payload = ("tern probe " + name + " " + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        try {
            from.sendIndication(peer, payload);
            TurnClient.Received received = to.receive();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            boolean same = Arrays.equals(payload, received.data());
            steps.add(new Step(name, same, took, same ? payload.length + " bytes arrived from "
                    + received.peer().map(TurnProbe::hostPort).orElse("a channel")
                    : "different bytes arrived (" + received.data().length + " bytes)"));
            return same;
        } catch (UncheckedIOException e) {
            steps.add(new Step(name, false, Duration.ofNanos(System.nanoTime() - start), timedOut(e)
                    ? "nothing arrived within " + timeout.toMillis() + " ms: the relay dropped it (bitrate limit, "
                            + "or it does not relay between its own relayed addresses)"
                    : e.getCause().getMessage()));
            return false;
        }
    }

    private Optional<StunResponse> step(String name, Supplier<StunResponse> request,
            java.util.function.Function<StunResponse, String> success) {
        long start = System.nanoTime();
        try {
            StunResponse response = request.get();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (response.success()) {
                steps.add(new Step(name, true, took, success.apply(response)));
                return Optional.of(response);
            }
            steps.add(new Step(name, false, took, explain(response.errorCode())));
            return Optional.empty();
        } catch (UncheckedIOException e) {
            steps.add(new Step(name, false, Duration.ofNanos(System.nanoTime() - start), timedOut(e)
                    ? "no answer from " + hostPort(server) + " within " + timeout.toMillis() + " ms (wrong host or "
                            + "port, UDP blocked on the way, or the server is down)"
                    : e.getCause().getMessage()));
            return Optional.empty();
        }
    }

    private static String allocated(StunResponse response) {
        return "relayed address " + response.grant().relayed().map(TurnProbe::hostPort).orElse("(none)") + ", lifetime "
                + response.grant().lifetime() + " s";
    }

    /** What an error code means for someone setting up a relay. */
    static String explain(int code) {
        return switch (code) {
            case 401 -> "401 Unauthorized: the server does not accept these credentials (wrong secret or password, "
                    + "expired username, or clock skew)";
            case 403 -> "403 Forbidden: the server refuses this (for a permission: the peer address is on its deny "
                    + "list; relaying between addresses of the relay itself on private or loopback networks needs "
                    + "allowed_peers, or coturn's allow-loopback-peers)";
            case 437 -> "437 Allocation Mismatch: an allocation from this address already exists";
            case 438 -> "438 Stale Nonce twice in a row: the server rejects its own nonces (clock or nonce key problem)";
            case 441 -> "441 Wrong Credentials: the username differs from the one the allocation was made with";
            case 442 -> "442 Unsupported Transport Protocol";
            case 486 -> "486 Allocation Quota Reached: this user has too many allocations";
            case 508 -> "508 Insufficient Capacity: no relay port free, or the server's total quota is reached";
            default -> code + ": error from the server";
        };
    }

    private static boolean timedOut(UncheckedIOException e) {
        return e.getCause() instanceof SocketTimeoutException;
    }

    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
