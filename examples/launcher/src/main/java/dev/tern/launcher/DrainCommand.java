package dev.tern.launcher;

import dev.tern.admin.AdminConfig;
import dev.tern.config.TernConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tern drain --config FILE [--wait]}: asks the {@code tern serve} running with that config, through its admin
 * API ({@code POST /admin/api/drain} with the config's admin token, as the rest of the API), to drain for a rolling
 * restart: new Allocates go to another relay of the fleet (300 Try Alternate), {@code /health/ready} answers 503,
 * live allocations go on until they end or {@code relay.drain_deadline}, then the relay leaves the fleet and exits 0.
 * With {@code --wait} it returns once that process has stopped answering. Exit status 0 when the drain was accepted
 * (and, with {@code --wait}, done), 1 otherwise with the reason on standard error. Not thread-safe.
 */
@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Drain a running tern serve for a rolling restart (through its admin API), then it exits.")
final class DrainCommand implements Callable<Integer> {

    private static final Pattern DEADLINE = Pattern.compile("\"deadline\"\\s*:\\s*\"([^\"]+)\"");
    /** How long {@code --wait} waits beyond the announced deadline for the process to stop. */
    private static final Duration WAIT_MARGIN = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(names = "--wait", description = "Wait until the drained process has stopped.")
    boolean await;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AdminConfig admin;
        if (options.embedded()) {
            admin = AdminConfig.of("http://127.0.0.1:" + options.adminPort, null);
        } else {
            TernConfig config = options.configLoader().load(options.config);
            Optional<AdminConfig> metrics = Sections.metrics(config).filter(AdminConfig::enabled);
            if (metrics.isEmpty()) {
                err.println("tern drain: " + config.origin() + " has no enabled metrics section, so the running Tern "
                        + "has no admin API to ask; stop it with SIGTERM (systemctl stop), which drains the same way");
                err.flush();
                return 1;
            }
            admin = metrics.get();
        }
        URI base = base(admin.listenAddress());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/admin/api/drain"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody());
        if (admin.token() != null) {
            request.header("Authorization", "Bearer " + admin.token().reveal());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("tern drain: no Tern answers at " + base + " (" + describe(e) + ")");
            err.flush();
            return 1;
        }
        if (response.statusCode() != 202) {
            err.println("tern drain: " + base + " answered " + response.statusCode() + (response.statusCode() == 401
                    ? ": the admin token was refused (metrics.token of this config)" : ": " + response.body().strip()));
            err.flush();
            return 1;
        }
        Matcher m = DEADLINE.matcher(response.body());
        Instant deadline = m.find() ? Instant.parse(m.group(1)) : Instant.now();
        out.println("Draining " + base + ": new allocations go to other relays; live ones end by " + deadline);
        out.flush();
        if (!await) {
            return 0;
        }
        Instant giveUp = deadline.plus(WAIT_MARGIN);
        HttpRequest live = HttpRequest.newBuilder(base.resolve("/health/live")).timeout(Duration.ofSeconds(5)).GET()
                .build();
        while (Instant.now().isBefore(giveUp)) {
            try {
                http.send(live, HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                out.println("Stopped.");
                out.flush();
                return 0;
            }
            Thread.sleep(250);
        }
        err.println("tern drain: " + base + " still answers " + WAIT_MARGIN.toSeconds() + " s after the deadline");
        err.flush();
        return 1;
    }

    /** The admin base URI; a wildcard listen address is reached on loopback. */
    private static URI base(InetSocketAddress listen) {
        String host = listen.getAddress().isAnyLocalAddress()
                ? (listen.getAddress() instanceof Inet6Address ? "[::1]" : "127.0.0.1")
                : listen.getAddress() instanceof Inet6Address ? "[" + listen.getAddress().getHostAddress() + "]"
                : listen.getAddress().getHostAddress();
        return URI.create("http://" + host + ":" + listen.getPort() + "/");
    }

    private static String describe(IOException e) {
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }
}
