package dev.tern.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tern.bench.Args;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** The {@code relay} subcommand: one load run, or with {@code --ramp} a series at rising rates. */
public final class RelayCommand {

    /** Highest loss (percent) a rate may have to count as sustainable. */
    public static final double SUSTAINABLE_LOSS_PERCENT = 0.5;

    private RelayCommand() {
    }

    /** Parses the options, runs, prints; returns the exit code. */
    public static int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(argv, Set.of("send-indications", "json", "ramp"));
        LoadSettings settings = settings(args);
        boolean json = args.flag("json");
        boolean ramp = args.flag("ramp");
        double factor = Double.parseDouble(args.string("ramp-factor", "1.25"));
        int steps = args.integer("ramp-steps", 10);
        Duration leadIn = args.duration("lead-in", Duration.ZERO);
        args.rejectUnknown();
        if (!ramp) {
            LoadResult result = new RelayLoad(settings).run(leadIn);
            out.print(json ? toJson(result) + "\n" : result.toText());
            return result.allocations().ok() > 0 ? 0 : 1;
        }
        RampResult result = ramp(settings, factor, steps, leadIn, json ? null : out);
        if (json) {
            out.println(toJson(result));
        } else {
            out.printf("highest rate with loss under %.1f %%: %d packets/s per allocation, %d packets/s offered%s%n",
                    SUSTAINABLE_LOSS_PERCENT, result.bestRate(), (long) result.bestRate() * settings.allocations(),
                    result.end().serverLimit() ? "" : " (a lower bound: " + result.end() + ")");
        }
        return 0;
    }

    /** The settings from {@code relay}'s options. */
    public static LoadSettings settings(Args args) {
        String server = args.string("server", "127.0.0.1:3478");
        int colon = server.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--server must be HOST:PORT, was '" + server + "'");
        }
        InetSocketAddress address = new InetSocketAddress(server.substring(0, colon).replace("[", "").replace("]", ""),
                Integer.parseInt(server.substring(colon + 1)));
        String pid = args.string("server-pid", null);
        return LoadSettings.builder()
                .server(address)
                .secret(args.string("secret", null))
                .user(args.string("user", null))
                .password(args.string("password", null))
                .allocations(args.integer("allocations", 100))
                .rate(args.integer("rate", 500))
                .size(args.integer("size", 160))
                .duration(args.duration("duration", Duration.ofSeconds(10)))
                .sendIndications(args.flag("send-indications"))
                .serverPid(pid == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(pid)))
                .peerHost(args.string("peer-host", "127.0.0.1"))
                .build();
    }

    /**
     * The rates tried and the highest one with loss under {@link #SUSTAINABLE_LOSS_PERCENT}.
     *
     * @param bestRate packets per second per allocation; 0 when even the first step lost too much
     * @param end what ended the ramp, which says whether {@code bestRate} is the server's limit or a lower bound
     * @param steps every step's result, keyed by its rate
     */
    public record RampResult(int bestRate, RampEnd end, Map<Integer, LoadResult> steps) {
    }

    /** What ended a ramp. */
    public enum RampEnd {
        /** A step lost too much and the load generator kept up: the best rate is the server's limit. */
        SERVER_LOSS,
        /**
         * A step lost too much, but the load generator itself fell behind its rate, dropped datagrams at its own
         * sockets or was saturated ({@link LoadResult#generatorLimited()}): the best rate is a lower bound.
         */
        GENERATOR_LIMITED,
        /** Every step held: the best rate is a lower bound. */
        STEPS_RAN_OUT,
        /** A step made no allocation. */
        NO_ALLOCATIONS;

        /** Whether the best rate is the server's own limit rather than a lower bound of it. */
        public boolean serverLimit() {
            return this == SERVER_LOSS;
        }
    }

    /** A step whose generator sent less than this share of its rate fell behind. */
    private static final double KEPT_PACE = 0.98;

    /**
     * Raises the rate by {@code factor} each step until loss reaches the limit or steps run out; each
     * step makes its allocations and measures after {@code leadIn} at its rate ({@link RelayLoad#run(Duration)}).
     */
    public static RampResult ramp(LoadSettings settings, double factor, int maxSteps, Duration leadIn,
            PrintStream progress) throws Exception {
        Map<Integer, LoadResult> steps = new LinkedHashMap<>();
        int best = 0;
        int rate = settings.rate();
        for (int step = 0; step < maxSteps; step++) {
            LoadResult r = new RelayLoad(settings.withRate(rate)).run(leadIn);
            steps.put(rate, r);
            RampEnd end = endOf(r, rate);
            if (progress != null) {
                progress.printf("rate %d/s per allocation (%.0f offered): loss %.3f %%, p99 %.0f us%s, "
                        + "socket drops server %d / generator %d, generator CPU %.0f %%%s%n", rate,
                        r.packets().offeredPps(), r.packets().lossPercent(), r.rtt().p99Micros(),
                        r.serverCpu().cpuMicrosPerRelayedPacket() >= 0 ? String.format(", %.2f us CPU/pkt",
                                r.serverCpu().cpuMicrosPerRelayedPacket()) : "",
                        r.generator().serverSocketDrops(), r.generator().generatorSocketDrops(),
                        100 * r.generator().generatorCpuShare(),
                        end != null ? ": ends the ramp, " + end
                                : generatorBehind(r, rate) || r.generatorLimited() ? " (the generator at its limit)" : "");
            }
            if (end != null) {
                return new RampResult(best, end, steps);
            }
            best = rate;
            rate = Math.max(rate + 1, (int) Math.round(rate * factor));
        }
        return new RampResult(best, RampEnd.STEPS_RAN_OUT, steps);
    }

    /** How step {@code r}, run at {@code rate} packets/s per allocation, ends a ramp; {@code null} when it held. */
    static RampEnd endOf(LoadResult r, int rate) {
        if (r.allocations().ok() == 0) {
            return RampEnd.NO_ALLOCATIONS;
        }
        if (r.packets().lossPercent() < SUSTAINABLE_LOSS_PERCENT) {
            return null;
        }
        return generatorBehind(r, rate) || r.generatorLimited() ? RampEnd.GENERATOR_LIMITED : RampEnd.SERVER_LOSS;
    }

    /** Whether the generator sent less than {@link #KEPT_PACE} of the step's rate. */
    private static boolean generatorBehind(LoadResult r, int rate) {
        return r.packets().offeredPps() < KEPT_PACE * rate * r.allocations().ok();
    }

    static String toJson(Object value) throws Exception {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    }

    static List<String> lines(String text) {
        return new ArrayList<>(List.of(text.split("\n")));
    }
}
