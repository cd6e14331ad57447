package dev.tern.bench.soak;

/**
 * What the {@link LoopbackControl} (a ping-pong over loopback with no relay) sent and got back during the churn.
 * Immutable.
 *
 * @param sent packets sent
 * @param received echoes back in time
 * @param late echoes back after the wait
 * @param lost never back: lost by the loopback path itself
 */
record ControlResult(long sent, long received, long late, long lost) {

    static ControlResult of(LoopbackControl control) {
        return new ControlResult(control.sent(), control.received(), control.late(), control.lost());
    }
}
