package dev.tern.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A soak's outcome: the measures at start and end with their checks, the steady flows, and what each churn
 * activity did. Passes when every check passes and every steady flow got all its packets back. Immutable.
 *
 * @param duration how long the churn ran
 * @param start the footprint after the warm-up
 * @param end the footprint after churn stopped and allocations expired
 * @param checks start against end, measure by measure
 * @param flows the steady flows
 * @param drops where the kernel dropped datagrams on the steady flows' way during the churn
 * @param activities the churn, by activity
 */
record SoakReport(Duration duration, Footprint start, Footprint end, List<Check> checks, List<FlowResult> flows,
        UdpSocketDrops drops, List<ActivityResult> activities) {

    SoakReport {
        checks = List.copyOf(checks);
        flows = List.copyOf(flows);
        activities = List.copyOf(activities);
    }

    boolean passed() {
        return checks.stream().allMatch(Check::passed) && flows.stream().allMatch(FlowResult::intact);
    }

    /** The report for people. */
    String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "soak: %s of churn, %s%n", duration, passed() ? "PASSED" : "FAILED"));
        out.append(String.format(Locale.ROOT, "%-28s %14s %14s  %s%n", "measure", "start", "end", "rule"));
        for (Check c : checks) {
            out.append(String.format(Locale.ROOT, "%-28s %14d %14d  %s%s%n", c.name(), c.start(), c.end(), c.allowed(),
                    c.passed() ? "" : "  << FAILED"));
        }
        if (!start.threadsByName().equals(end.threadsByName())) {
            out.append("threads by name, start: ").append(start.threadsByName()).append('\n');
            out.append("threads by name, end:   ").append(end.threadsByName()).append('\n');
        }
        out.append("steady flows (under the ").append(SoakLauncher.BITRATE_QUOTA / 1000).append(" kbit/s quota):\n");
        for (FlowResult f : flows) {
            out.append(String.format(Locale.ROOT, "  flow %d %-3s %3d pkt/s x %4d B (%4d kbit/s): sent %d, back %d, "
                    + "late %d, lost %d%s%s%s%n", f.id(), f.transport(), f.rate(), f.size(), f.bitsPerSecond() / 1000,
                    f.sent(), f.received(), f.late(), f.lost(),
                    f.asIndications() == 0 ? "" : " (" + f.asIndications() + " as Data indications)",
                    f.firstLost().isEmpty() ? "" : ", first lost #" + f.firstLost()
                            + (f.relayedToPeer() < 0 ? "" : "; the relay forwarded " + f.relayedToPeer() + " to the peer and "
                            + f.relayedFromPeer() + " back"),
                    f.failure().map(e -> ", stopped: " + e).orElse("")));
        }
        out.append(String.format(Locale.ROOT, "UDP datagrams the kernel dropped (full receive buffers): relay listener %d,"
                + " flows' relay ports %d, flows' clients %d, flows' echo peer %d, churn's echo peer %d%n",
                drops.relayListener(), drops.flowRelayPorts(), drops.flowClients(), drops.flowEchoPeer(),
                drops.churnEchoPeer()));
        long forwarded = flows.stream().mapToLong(FlowResult::relayedToPeer).sum();
        if (flows.stream().allMatch(f -> f.relayedToPeer() >= 0)) {
            out.append(String.format(Locale.ROOT, "the relay forwarded %d of the flows' packets to their echo peer, "
                    + "which received %d%n", forwarded, drops.flowEchoPeerReceived()));
        }
        out.append("churn: ").append(end.allocationsCreated() - start.allocationsCreated())
                .append(" allocations created\n");
        for (ActivityResult a : activities) {
            out.append(String.format(Locale.ROOT, "  %-12s %8d cycles, %6d failed%n", a.name(), a.completed(),
                    a.failed()));
            for (String e : a.firstErrors()) {
                out.append("      ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    /** The report as JSON. */
    String json() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(new Json(duration.toSeconds(), passed(), start, end, checks, flows, drops,
                    activities));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Json(long durationSeconds, boolean passed, Footprint start, Footprint end, List<Check> checks,
            List<FlowResult> flows, UdpSocketDrops udpDrops, List<ActivityResult> activities) {
    }
}
