package dev.tern.launcher;

import dev.tern.config.ConfigLoader;
import dev.tern.config.ProviderCatalog;
import dev.tern.config.TernConfig;
import dev.tern.launcher.probe.TurnProbeText;
import dev.tern.relay.RelayConfig;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tern serve}: runs the relay and the Matrix endpoints until Ctrl-C, SIGTERM or {@code tern drain}, then drains
 * the relay (for {@code --drain}, else {@code relay.drain_deadline}) and stops; after SIGTERM or {@code tern drain}
 * it exits 0. Without {@code --config} it runs the embedded default on loopback and prints the
 * development token with a ready-to-paste {@code curl}. Not thread-safe (one run per instance).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the relay and the Matrix endpoints (embedded loopback default without --config).")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    /** How long live allocations may go on after Ctrl-C when the embedded default runs (no config file). */
    static final Duration EMBEDDED_DRAIN = Duration.ofSeconds(10);

    @Option(names = "--drain", paramLabel = "DURATION",
            description = "How long live allocations may continue after SIGTERM, Ctrl-C or tern drain "
                    + "(default: relay.drain_deadline, 10s for the embedded default).")
    String drain;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ConfigLoader loader = options.configLoader();
        out.println("Providers found: " + describe(loader));
        DefaultConfig defaults = null;
        TernConfig config;
        if (options.embedded()) {
            defaults = options.prepareDefault();
            config = defaults.load(loader, out);
        } else {
            config = loader.load(options.config);
        }
        out.println("Config: " + config.origin() + " (server_name " + config.serverName() + ")");
        out.flush();
        Duration grace = drain != null ? Durations.option("--drain", drain)
                : defaults != null ? EMBEDDED_DRAIN : config.drainDeadline();
        TernService service = TernService.start(config, grace);
        // SIGTERM (systemd, Kubernetes, tern drain's rolling restarts) drains and then exits 0; Ctrl-C and other
        // shutdowns drain through the hook.
        TermSignal.onTerm(() -> service.startDrain());
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "tern-shutdown"));
        printStatus(out, config, service, defaults);
        try {
            service.closed().toCompletableFuture().join();
        } catch (RuntimeException e) {
            service.close();
        }
        out.println("Drained and stopped.");
        out.flush();
        return 0;
    }

    private static void printStatus(PrintWriter out, TernConfig config, TernService service, DefaultConfig defaults) {
        if (service.relayAddresses().isEmpty()) {
            out.println("Relay: not configured" + (config.relay().isEmpty() && defaults != null
                    ? " (relay not yet available)" : ""));
        } else {
            out.println("Relay: " + config.relay().map(r -> r.config()).filter(RelayConfig.class::isInstance)
                    .map(r -> String.join(", ", ((RelayConfig) r).listen())).orElse("listening")
                    + " (bound: " + join(service.relayAddresses()) + ")");
        }
        if (service.httpAddress().isPresent()) {
            InetSocketAddress http = service.httpAddress().get();
            out.println("Matrix endpoints: http://" + hostPort(http) + "/_matrix/client/v3/voip/turnServer and "
                    + "http://" + hostPort(http) + "/.well-known/matrix/client");
        } else if (service.sharedPorts().isEmpty()) {
            out.println("Matrix endpoints: not configured (no matrix section)");
        }
        for (java.net.URI shared : service.sharedPorts()) {
            String base = (shared.getScheme().equals("tls+https") ? "https://" : "http://") + shared.getHost() + ":"
                    + shared.getPort();
            out.println("One port for TURN and HTTP: " + shared + " (TURN " + (shared.getScheme().equals("tls+https")
                    ? "turns:" : "turn:") + shared.getHost() + ":" + shared.getPort() + "?transport=tcp; Matrix endpoints "
                    + base + "/_matrix/client/v3/voip/turnServer and " + base + "/.well-known/matrix/client)");
        }
        out.println(service.adminUri().map(uri -> "Admin page: " + uri.resolve("admin") + " (metrics "
                + uri.resolve("metrics") + ", health " + uri.resolve("health/ready") + ")")
                .orElse("Admin page and metrics: off (no metrics section)"));
        if (defaults != null) {
            out.println("Data directory: " + defaults.dataDirectory() + " (TURN secret "
                    + (defaults.secretCreated() ? "generated" : "reused") + " in " + DefaultConfig.SECRET_FILE + ")");
            out.println("Development access token for " + DefaultConfig.DEV_USER + ": " + defaults.developmentToken());
            service.httpAddress().ifPresent(http -> out.println("Try: curl -H 'Authorization: Bearer "
                    + defaults.developmentToken() + "' http://" + hostPort(http)
                    + "/_matrix/client/v3/voip/turnServer"));
            service.httpAddress().ifPresent(http -> service.adminUri().ifPresent(admin -> out.println(
                    "Call test: open " + admin.resolve("admin") + ", give it http://" + hostPort(http)
                            + " and the token above, and it relays a WebRTC call through this relay")));
        }
        out.println("Ready. Press Ctrl-C to drain and stop.");
        out.flush();
    }

    static String describe(ConfigLoader loader) {
        return "credentials " + types(loader.credentialIssuers()) + "; policy sources " + types(loader.policySources())
                + "; relay " + types(loader.relayServers());
    }

    private static String types(ProviderCatalog<?> catalog) {
        return catalog.types().isEmpty() ? "(none)" : String.join(", ", catalog.types());
    }

    private static String join(java.util.List<InetSocketAddress> addresses) {
        return String.join(", ", addresses.stream().map(ServeCommand::hostPort).toList());
    }

    private static String hostPort(InetSocketAddress address) {
        return TurnProbeText.hostPort(address);
    }
}
