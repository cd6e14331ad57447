package dev.tern.bench;

import dev.tern.bench.load.RelayCommand;
import java.util.Arrays;

/**
 * {@code java -jar tern-bench.jar relay|compare|capacity|overhead|soak|fleet|jmh ...}: the TURN load generator, the
 * side-by-side comparisons with coturn, the soak, and the JMH micro-benchmarks.
 */
public final class Main {

    private static final String USAGE = """
            usage: java -jar tern-bench.jar <command> [options]
              relay    load a TURN server: --server HOST:PORT (--secret S | --user U --password P)
                       [--allocations 100] [--rate 500] [--size 160] [--duration 10s] [--send-indications]
                       [--server-pid PID] [--lead-in 0s] [--json] [--ramp [--ramp-factor 1.25] [--ramp-steps 10]]
              compare  coturn against Tern's relay, A B A B, same load: [--allocations] [--rate] [--size]
                       [--duration] [--warm-up 3s] [--warm-up-allocations 9000] [--rounds 2 | --pairs N] [--threads N] [--server-cpus 1] [--ramp [--ramp-start R/2] [--ramp-steps 12]
                       [--ramp-factor 1.25] [--ramp-duration 5s] [--ramp-lead-in 2s]] [--json]
              capacity coturn against Tern's relay, A B A B: N concurrent allocations (cold, then warm), allocations
                       per second and memory per allocation: [--allocations 10000] [--warm-ups 3] [--rounds 2] [--threads N]
                       [--server-cpus 1] [--json]
              overhead what a relay adds to the whole machine's CPU per relayed packet: coturn, Tern's user and kernel
                       planes side by side, against the load client sending straight to the echo peer (needs root, gcc):
                       [--allocations 100] [--rates 20000,40000] [--size 160] [--duration 5s] [--lead-in 2s]
                       [--warm-up 5s] [--rounds 3]
                       [--relays coturn,tern-user,tern-kernel] [--threads N] [--server-cpus C] [--client-cpus C]
                       [--tern-b-jar OTHER/tern-bench.jar with tern-user-b in --relays: two builds in one run]
                       [--ramp [--ramp-start 20000] [--ramp-factor 1.2] [--ramp-steps 12] [--ramp-duration 3s]
                       [--ramp-lead-in 1s]] [--json]
              soak     the launcher under churn (TURN over UDP/TCP/TLS, coturn's uclient, bad packets, HTTP) with
                       steady flows; checks heap, fds, threads, allocations, token buckets and leaks came back:
                       [--launcher examples/launcher/target/tern-launcher.jar] [--duration 10m] [--warm-up 30s]
                       [--settle 120s] [--flows 6] [--flow-rate 50] [--flow-size 160] [--pause 200ms] [--users 8]
                       [--skip turn-udp,turn-tcp,turn-tls,bad-packets,http,uclient] [--plane auto|kernel|user]
                       [--allocation-lifetime 30s]
                       [--dir DIR] [--json]
              fleet    the Allocate latency a relay gets from the redis fleet's lease (one Lua round trip to a local
                       redis-server it starts): two relays on loopback, without and with the fleet, Allocates
                       alternating between them, p50/p99 of each: [--allocations 2000] [--warm-up 500] [--json]
              jmh      JMH micro-benchmarks (JMH options follow, e.g. 'jmh -prof gc PeerAddressFilter')
            """;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.print(USAGE);
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "relay" -> System.exit(RelayCommand.run(rest, System.out));
                case "compare" -> System.exit(CompareCommand.run(rest, System.out));
                case "capacity" -> System.exit(CapacityCommand.run(rest, System.out));
                case "overhead" -> System.exit(OverheadCommand.run(rest, System.out));
                case "soak" -> System.exit(dev.tern.bench.soak.SoakCommand.run(rest, System.out));
                case "fleet" -> System.exit(FleetLatencyCommand.run(rest, System.out));
                case "jmh" -> org.openjdk.jmh.Main.main(rest);
                default -> {
                    System.err.print(USAGE);
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
    }
}
