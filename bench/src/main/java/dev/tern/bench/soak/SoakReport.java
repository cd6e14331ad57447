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
 * @param machine the whole machine's UDP and backlog drop counters during the churn
 * @param control the relay-free loopback ping-pong run alongside the flows
 * @param activities the churn, by activity
 */
record SoakReport(Duration duration, String dataPlane, Footprint start, Footprint end, List<Check> checks,
        List<FlowResult> flows, UdpSocketDrops drops, MachineUdpCounters machine, ControlResult control,
        List<ActivityResult> activities) {

    SoakReport {
        checks = List.copyOf(checks);
        flows = List.copyOf(flows);
        activities = List.copyOf(activities);
    }

    boolean passed() {
        return checks.stream().allMatch(Check::passed) && flows.stream().allMatch(FlowResult::relayLostNothing);
    }

    /** The report for people. */
    String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "soak: %s of churn, %s; %s%n", duration, passed() ? "PASSED" : "FAILED",
                dataPlane));
        out.append(String.format(Locale.ROOT, "%-28s %14s %14s  %s%n", "measure", "start", "end", "rule"));
        for (Check c : checks) {
            out.append(String.format(Locale.ROOT, "%-28s %14d %14d  %s%s%n", c.name(), c.start(), c.end(), c.allowed(),
                    c.passed() ? "" : "  << FAILED"));
        }
        if (!start.fileDescriptorsByKind().equals(end.fileDescriptorsByKind())) {
            out.append("file descriptors by kind, start: ").append(start.fileDescriptorsByKind()).append('\n');
            out.append("file descriptors by kind, end:   ").append(end.fileDescriptorsByKind()).append('\n');
        }
        if (!start.threadsByName().equals(end.threadsByName())) {
            out.append("threads by name, start: ").append(start.threadsByName()).append('\n');
            out.append("threads by name, end:   ").append(end.threadsByName()).append('\n');
        }
        out.append("steady flows (under the ").append(SoakLauncher.BITRATE_QUOTA / 1000).append(" kbit/s quota):\n");
        for (FlowResult f : flows) {
            out.append(String.format(Locale.ROOT, "  flow %d %-3s %3d pkt/s x %4d B (%4d kbit/s): sent %d, back %d, "
                    + "late %d, lost %d (the client's own %d, not the client's %d)%s%s%s%s%n", f.id(), f.transport(),
                    f.rate(), f.size(), f.bitsPerSecond() / 1000, f.sent(), f.received(), f.late(), f.lost(),
                    f.lostByClient(), f.lostNotByClient(), f.garbled() == 0 ? "" : ", " + f.garbled() + " garbled",
                    f.asIndications() == 0 ? "" : " (" + f.asIndications() + " as Data indications)",
                    f.firstLost().isEmpty() ? "" : ", first lost #" + f.firstLost(),
                    f.failure().map(e -> ", stopped: " + e).orElse("")));
            if (f.legsKnown()) {
                out.append(String.format(Locale.ROOT, "      legs: client sent %d -> relay forwarded %d -> peer got %d,"
                        + " echoed %d -> relay forwarded %d -> client got %d (+%d late); lost client->relay %d,"
                        + " relay->peer %d, peer->relay %d, relay->client %d; kernel drops at its relay socket %d,"
                        + " at its client socket %s%n", f.sent(), f.relayedToPeer(), f.peerReceived(), f.peerEchoed(),
                        f.relayedFromPeer(), f.received(), f.late(), f.lostClientToRelay(), f.lostRelayToPeer(),
                        f.lostPeerToRelay(), f.lostRelayToClient(), f.relaySocketDrops(),
                        f.clientSocketDrops() < 0 ? "- (stream)" : Long.toString(f.clientSocketDrops())));
            }
        }
        out.append(String.format(Locale.ROOT, "UDP datagrams the kernel dropped (full receive buffers): relay listener %d,"
                + " flows' relay ports %d, flows' clients %d, flows' echo peer %d, churn's echo peer %d%n",
                drops.relayListener(), drops.flowRelayPorts(), drops.flowClients(), drops.flowEchoPeer(),
                drops.churnEchoPeer()));
        out.append(String.format(Locale.ROOT, "the whole machine during the churn (every process's): UDP InErrors %d,"
                + " RcvbufErrors %d, InCsumErrors %d, NoPorts %d; input backlog drops %d%n", machine.inErrors(),
                machine.rcvbufErrors(), machine.inCsumErrors(), machine.noPorts(), machine.backlogDrops()));
        out.append(String.format(Locale.ROOT, "loopback control (the same ping-pong, no relay): sent %d, back %d, late %d,"
                + " lost %d%s%n", control.sent(), control.received(), control.late(), control.lost(),
                control.lost() == 0 ? "" : ": the loopback path itself lost packets during the churn, so flow losses on"
                        + " UDP legs may not be the relay's"));
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
                    .writeValueAsString(new Json(duration.toSeconds(), passed(), dataPlane, start, end, checks,
                    flows.stream().map(FlowJson::of).toList(), drops, machine, control, activities));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Json(long durationSeconds, boolean passed, String dataPlane, Footprint start, Footprint end,
            List<Check> checks, List<FlowJson> flows, UdpSocketDrops udpDrops, MachineUdpCounters machineDrops,
            ControlResult loopbackControl, List<ActivityResult> activities) {
    }

    /** A flow with its per-leg losses spelled out. */
    private record FlowJson(@com.fasterxml.jackson.annotation.JsonUnwrapped FlowResult flow, long lost, long lostByClient, long lostNotByClient,
            long lostClientToRelay, long lostRelayToPeer, long lostPeerToRelay, long lostRelayToClient) {

        static FlowJson of(FlowResult f) {
            return new FlowJson(f, f.lost(), f.lostByClient(), f.lostNotByClient(), f.lostClientToRelay(),
                    f.lostRelayToPeer(), f.lostPeerToRelay(), f.lostRelayToClient());
        }
    }
}
