package dev.tern.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * @param dataPlane the launcher's line saying which data plane ran
 * @param footprints the footprints before and after the churn, compared
 * @param flows the steady flows
 * @param drops where datagrams were dropped during the churn
 * @param activities the churn, by activity
 */
record SoakReport(Duration duration, String dataPlane, Footprints footprints, List<FlowResult> flows, Drops drops,
        List<ActivityResult> activities) {

    SoakReport {
        flows = List.copyOf(flows);
        activities = List.copyOf(activities);
    }

    /**
     * The launcher's footprint before and after the churn.
     *
     * @param start the footprint after the warm-up
     * @param end the footprint after churn stopped and allocations expired
     * @param checks start against end, measure by measure
     */
    record Footprints(Footprint start, Footprint end, List<Check> checks) {

        Footprints {
            checks = List.copyOf(checks);
        }
    }

    /**
     * Where datagrams were dropped during the churn.
     *
     * @param sockets where the kernel dropped datagrams on the steady flows' way
     * @param machine the whole machine's UDP and backlog drop counters
     * @param control the relay-free loopback ping-pong run alongside the flows
     */
    record Drops(UdpSocketDrops sockets, MachineUdpCounters machine, ControlResult control) {
    }

    boolean passed() {
        return footprints.checks().stream().allMatch(Check::passed)
                && flows.stream().allMatch(FlowResult::relayLostNothing);
    }

    /** The report for people. */
    String text() {
        Footprint start = footprints.start();
        Footprint end = footprints.end();
        UdpSocketDrops sockets = drops.sockets();
        MachineUdpCounters machine = drops.machine();
        ControlResult control = drops.control();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "soak: %s of churn, %s; %s%n", duration, passed() ? "PASSED" : "FAILED",
                dataPlane));
        out.append(String.format(Locale.ROOT, "%-28s %14s %14s  %s%n", "measure", "start", "end", "rule"));
        for (Check c : footprints.checks()) {
            out.append(String.format(Locale.ROOT, "%-28s %14d %14d  %s%s%n", c.name(), c.start(), c.end(), c.allowed(),
                    c.passed() ? "" : "  << FAILED"));
        }
        Footprint.Resources before = start.process();
        Footprint.Resources after = end.process();
        if (!before.fileDescriptorsByKind().equals(after.fileDescriptorsByKind())) {
            out.append("file descriptors by kind, start: ").append(before.fileDescriptorsByKind()).append('\n');
            out.append("file descriptors by kind, end:   ").append(after.fileDescriptorsByKind()).append('\n');
        }
        if (!before.threadsByName().equals(after.threadsByName())) {
            out.append("threads by name, start: ").append(before.threadsByName()).append('\n');
            out.append("threads by name, end:   ").append(after.threadsByName()).append('\n');
        }
        out.append("steady flows (under the ").append(SoakLauncher.BITRATE_QUOTA / 1000).append(" kbit/s quota):\n");
        for (FlowResult f : flows) {
            FlowPlan p = f.plan();
            FlowResult.ClientCounts c = f.client();
            out.append(String.format(Locale.ROOT, "  flow %d %-3s %3d pkt/s x %4d B (%4d kbit/s): sent %d, back %d, "
                    + "late %d, lost %d (the client's own %d, not the client's %d)%s%s%s%s%n", p.id(),
                    p.transport().label(), p.rate(), p.size(), p.bitsPerSecond() / 1000, c.sent(), c.received(),
                    c.late(), f.lost(), f.lostByClient(), f.lostNotByClient(),
                    c.garbled() == 0 ? "" : ", " + c.garbled() + " garbled",
                    c.asIndications() == 0 ? "" : " (" + c.asIndications() + " as Data indications)",
                    c.firstLost().isEmpty() ? "" : ", first lost #" + c.firstLost(),
                    f.failure().map(e -> ", stopped: " + e).orElse("")));
            if (f.legsKnown()) {
                FlowResult.Legs l = f.legs();
                out.append(String.format(Locale.ROOT, "      legs: client sent %d -> relay forwarded %d -> peer got %d,"
                        + " echoed %d -> relay forwarded %d -> client got %d (+%d late); lost client->relay %d,"
                        + " relay->peer %d, peer->relay %d, relay->client %d; kernel drops at its relay socket %d,"
                        + " at its client socket %s%n", c.sent(), l.relayedToPeer(), l.peerReceived(), l.peerEchoed(),
                        l.relayedFromPeer(), c.received(), c.late(), f.lostClientToRelay(), f.lostRelayToPeer(),
                        f.lostPeerToRelay(), f.lostRelayToClient(), f.drops().relaySocketDrops(),
                        f.drops().clientSocketDrops() < 0 ? "- (stream)"
                                : Long.toString(f.drops().clientSocketDrops())));
            }
        }
        out.append(String.format(Locale.ROOT, "UDP datagrams the kernel dropped (full receive buffers): relay listener %d,"
                + " flows' relay ports %d, flows' clients %d, flows' echo peer %d, churn's echo peer %d%n",
                sockets.relayListener(), sockets.flowRelayPorts(), sockets.flowClients(), sockets.flowEchoPeer(),
                sockets.churnEchoPeer()));
        out.append(String.format(Locale.ROOT, "the whole machine during the churn (every process's): UDP InErrors %d,"
                + " RcvbufErrors %d, InCsumErrors %d, NoPorts %d; input backlog drops %d%n", machine.inErrors(),
                machine.rcvbufErrors(), machine.inCsumErrors(), machine.noPorts(), machine.backlogDrops()));
        out.append(String.format(Locale.ROOT, "loopback control (the same ping-pong, no relay): sent %d, back %d, late %d,"
                + " lost %d%s%n", control.sent(), control.received(), control.late(), control.lost(),
                control.lost() == 0 ? "" : ": the loopback path itself lost packets during the churn, so flow losses on"
                        + " UDP legs may not be the relay's"));
        out.append("churn: ").append(end.totals().allocationsCreated() - start.totals().allocationsCreated())
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

    /**
     * The report as JSON: one object with {@code durationSeconds}, {@code passed}, {@code dataPlane}, the footprints
     * ({@code start}, {@code end}, {@code checks}), the {@code flows} with their losses leg by leg, the drops
     * ({@code udpDrops}, {@code machineDrops}, {@code loopbackControl}) and the {@code activities}.
     */
    String json() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("durationSeconds", duration.toSeconds());
        root.put("passed", passed());
        root.put("dataPlane", dataPlane);
        root.set("start", mapper.valueToTree(footprints.start()));
        root.set("end", mapper.valueToTree(footprints.end()));
        root.set("checks", mapper.valueToTree(footprints.checks()));
        ArrayNode flowNodes = root.putArray("flows");
        for (FlowResult f : flows) {
            ObjectNode flow = mapper.valueToTree(f);
            flow.put("lost", f.lost());
            flow.put("lostByClient", f.lostByClient());
            flow.put("lostNotByClient", f.lostNotByClient());
            flow.put("lostClientToRelay", f.lostClientToRelay());
            flow.put("lostRelayToPeer", f.lostRelayToPeer());
            flow.put("lostPeerToRelay", f.lostPeerToRelay());
            flow.put("lostRelayToClient", f.lostRelayToClient());
            flowNodes.add(flow);
        }
        root.set("udpDrops", mapper.valueToTree(drops.sockets()));
        root.set("machineDrops", mapper.valueToTree(drops.machine()));
        root.set("loopbackControl", mapper.valueToTree(drops.control()));
        root.set("activities", mapper.valueToTree(activities));
        try {
            return mapper.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
