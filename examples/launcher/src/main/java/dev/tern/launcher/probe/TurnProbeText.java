package dev.tern.launcher.probe;

import java.io.PrintWriter;
import java.net.InetSocketAddress;

/** Prints a {@link TurnProbe.Result}, one numbered line per step. Stateless. */
public final class TurnProbeText {

    private TurnProbeText() {
    }

    /** Writes the steps to {@code out}. */
    public static void print(TurnProbe.Result result, PrintWriter out) {
        int n = 1;
        for (TurnProbe.Step step : result.steps()) {
            out.printf("  %d. %-16s %-6s %5d ms  %s%n", n++, step.name(), step.ok() ? "ok" : "FAILED",
                    step.took().toMillis(), step.detail());
        }
        out.flush();
    }

    /** {@code host:port}, IPv6 in brackets. */
    public static String hostPort(InetSocketAddress address) {
        return TurnProbe.hostPort(address);
    }
}
