package dev.tern.launcher;

import dev.tern.spi.Secret;
import dev.tern.spi.Transport;
import dev.tern.spi.TurnUri;
import dev.tern.credentials.rest.TurnRestPassword;
import dev.tern.launcher.probe.FleetProbe;
import dev.tern.launcher.probe.NonceKeyReport;
import dev.tern.launcher.probe.TurnProbe;
import dev.tern.launcher.probe.TurnProbeText;
import dev.tern.spi.RelayStatus;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern probe turn:host:port?transport=udp --secret S | --user U --password P}: allocates twice,
 * relays a packet each way between the two allocations and prints each step with its timing, or the exact
 * failure. With {@code --secret}, a refused username is retried with a much longer validity to tell clock
 * skew from a wrong secret. Works against any TURN server (coturn too). Exit status 0 when relaying works.
 *
 * <p>{@code tern probe --fleet [--config FILE] --secret S} (#18 point 4) instead reads the live relays of the
 * config's {@code fleet} section from its store, without registering, probes each one the same way over the first
 * UDP URI it publishes, and prints one line per relay (id, URI, ok or FAILED with the reason, Binding round trip),
 * then each relay's nonce key digest. Exit status 0 when every listed relay works and all share one nonce key, 1
 * when one failed or uses another key, none is live, or the store cannot be reached.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Check a TURN server end to end: allocate, relay a packet each way, release.")
final class ProbeCommand implements Callable<Integer> {

    /** How far in the future the username of the clock-skew retry expires. */
    private static final Duration SKEW_RETRY = Duration.ofDays(1);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URI", arity = "0..1",
            description = "The server, like turn:turn.example.org:3478?transport=udp (not with --fleet).")
    String uri;

    @Option(names = "--fleet",
            description = "Probe every live relay registered in the fleet of --config's fleet section instead of URI.")
    boolean fleet;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "tern.yaml",
            description = "With --fleet: the config whose fleet section lists the relays (default: ${DEFAULT-VALUE}).")
    Path config;

    @Mixin
    PluginOptions plugins;

    @ArgGroup(multiplicity = "1")
    Credentials credentials;

    @Option(names = "--user-id", paramLabel = "USER", defaultValue = "@tern-probe:localhost",
            description = "The user in TURN REST usernames made with --secret (default: ${DEFAULT-VALUE}).")
    String userId;

    @Option(names = "--lifetime", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long usernames made with --secret are valid (default: ${DEFAULT-VALUE}).")
    String lifetime;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            description = "How long to wait for each answer (default: ${DEFAULT-VALUE}).")
    String timeout;

    /** Either a TURN REST secret or a fixed username and password. */
    static final class Credentials {
        @Option(names = "--secret", paramLabel = "SECRET", required = true,
                description = "The TURN REST shared secret (coturn static-auth-secret).")
        String secret;

        @ArgGroup(exclusive = false)
        Fixed fixed;
    }

    /** A fixed username and password. */
    static final class Fixed {
        @Option(names = "--user", paramLabel = "USERNAME", required = true, description = "A TURN username.")
        String user;

        @Option(names = "--password", paramLabel = "PASSWORD", required = true, description = "Its password.")
        String password;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (fleet == (uri != null)) {
            throw new ParameterException(spec.commandLine(), fleet ? "--fleet probes the fleet's relays: give no URI"
                    : "Missing required parameter: 'URI' (or --fleet)");
        }
        Duration wait = Durations.option("--timeout", timeout);
        String username;
        String password;
        if (credentials.fixed != null) {
            username = credentials.fixed.user;
            password = credentials.fixed.password;
        } else {
            username = restUsername(Durations.option("--lifetime", lifetime));
            password = TurnRestPassword.of(Secret.of(credentials.secret), username);
        }
        if (fleet) {
            return probeFleet(out, username, password, wait);
        }
        InetSocketAddress server = server();
        out.println("Probing " + uri + " (" + TurnProbeText.hostPort(server) + ") as " + username);
        TurnProbe.Result result = new TurnProbe(server, wait).run(username, password);
        TurnProbeText.print(result, out);
        if (!result.ok() && credentials.secret != null && refusedCredentials(result)) {
            String later = restUsername(SKEW_RETRY);
            TurnProbe.Result retry = new TurnProbe(server, wait).run(later,
                    TurnRestPassword.of(Secret.of(credentials.secret), later));
            out.println(retry.ok()
                    ? "Clock skew suspected: a username valid for " + lifetime + " was refused but one valid for 1d "
                            + "works, so the server's clock is ahead of this machine's (or it enforces a shorter "
                            + "lifetime). Check NTP on both."
                    : "A username valid for 1d is refused too: the secret is wrong (or the realm or separator differ).");
        }
        out.println(result.ok() ? "Relaying works." : "Relaying does not work.");
        out.flush();
        return result.ok() ? 0 : 1;
    }

    private int probeFleet(PrintWriter out, String username, String password, Duration wait) {
        List<RelayStatus> relays;
        try (FleetView view = FleetView.open(plugins.configLoader().load(config))) {
            relays = view.liveRelays(wait);
        }
        if (relays.isEmpty()) {
            out.println("No live relay is registered in the fleet of " + config + ".");
            out.flush();
            return 1;
        }
        out.println("Probing " + relays.size() + " live relay" + (relays.size() == 1 ? "" : "s") + " of the fleet of "
                + config + " as " + username);
        List<FleetProbe.Outcome> outcomes = new FleetProbe(wait).run(relays, username, password);
        FleetProbe.print(outcomes, out);
        boolean oneKey = NonceKeyReport.print(relays, out);
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        out.println(failed == 0 ? "Relaying works on every relay."
                : "Relaying does not work on " + failed + " of " + outcomes.size() + " relays.");
        out.flush();
        return failed == 0 && oneKey ? 0 : 1;
    }

    private static boolean refusedCredentials(TurnProbe.Result result) {
        TurnProbe.Step last = result.steps().get(result.steps().size() - 1);
        return last.name().startsWith("allocate") && last.detail().startsWith("401");
    }

    private String restUsername(Duration validity) {
        return (Clock.systemUTC().instant().plus(validity).getEpochSecond()) + ":" + userId;
    }

    private InetSocketAddress server() {
        TurnUri parsed;
        try {
            parsed = TurnUri.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new LauncherException(e.getMessage());
        }
        if (parsed.clientTransport() != Transport.UDP) {
            throw new LauncherException("probe speaks TURN over UDP only for now; '" + uri + "' asks for "
                    + parsed.clientTransport().configName().toUpperCase(Locale.ROOT));
        }
        try {
            return FleetProbe.address(parsed);
        } catch (IllegalArgumentException e) {
            throw new LauncherException(e.getMessage());
        }
    }
}
