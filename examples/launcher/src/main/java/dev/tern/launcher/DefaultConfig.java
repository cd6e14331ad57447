package dev.tern.launcher;

import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The embedded default config ({@code default-config.yaml} in the jar): relay on {@code 127.0.0.1} UDP and TCP,
 * Matrix endpoints on {@code 127.0.0.1}, a TURN secret and a development access token generated into the
 * data directory on first use (mode 600) and reused afterwards.
 *
 * <p>Immutable once prepared; {@link #load} may be called from any thread. Sections whose provider is not
 * on the classpath are left out (with a line saying so) rather than failing: the rest still serves.
 */
final class DefaultConfig {

    /** The name errors give for the embedded text. */
    static final String ORIGIN = "embedded default config";
    /** The file in the data directory holding the TURN shared secret. */
    static final String SECRET_FILE = "turn-secret";
    /** The file in the data directory holding the development access token. */
    static final String TOKEN_FILE = "dev-access-token";
    /** The user the development token stands for. */
    static final String DEV_USER = "@dev:localhost";

    private static final String RESOURCE = "default-config.yaml";
    private static final String RELAY_BEGIN = "# begin relay\n";
    private static final String RELAY_END = "# end relay\n";

    private final Path dataDirectory;
    private final Ports ports;
    private final GeneratedSecret.Value secret;
    private final GeneratedSecret.Value token;

    private DefaultConfig(Path dataDirectory, Ports ports, GeneratedSecret.Value secret, GeneratedSecret.Value token) {
        this.dataDirectory = dataDirectory;
        this.ports = ports;
        this.secret = secret;
        this.token = token;
    }

    /**
     * The loopback ports the default listens on.
     *
     * @param relay the relay's UDP and TCP port, also written into the credentials' URIs (default 3478)
     * @param http the Matrix endpoints' port (default 8008)
     * @param admin the admin page's, metrics' and health's port (default 9090)
     */
    record Ports(int relay, int http, int admin) {
        /** The defaults: 3478, 8008, 9090. */
        static final Ports DEFAULT = new Ports(3478, 8008, 9090);

        Ports {
            requirePort("--relay-port", relay);
            requirePort("--http-port", http);
            requirePort("--admin-port", admin);
        }
    }

    /**
     * Makes (or reuses) the secret and the token in {@code dataDirectory}.
     *
     * @throws LauncherException when the data directory cannot be written
     */
    static DefaultConfig prepare(Path dataDirectory, Ports ports) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        SecureRandom random = new SecureRandom();
        GeneratedSecret.Value secret = GeneratedSecret.readOrCreate(directory.resolve(SECRET_FILE), "", random);
        GeneratedSecret.Value token = GeneratedSecret.readOrCreate(directory.resolve(TOKEN_FILE), "tern_dev_", random);
        return new DefaultConfig(directory, ports, secret, token);
    }

    /**
     * Loads the default with the providers {@code loader} knows; a section whose provider is missing is
     * left out and a line on {@code out} says so.
     */
    TernConfig load(ConfigLoader loader, PrintWriter out) {
        boolean relay = loader.relayServers().find("netty").isPresent();
        if (!relay) {
            out.println("relay not yet available: no relay provider of type 'netty' on the classpath; "
                    + "serving the rest");
        }
        if (loader.credentialIssuers().find("rest").isEmpty()) {
            throw new LauncherException("The embedded default needs the 'rest' credential issuer (tern-credentials), "
                    + "which is not on the classpath");
        }
        return loader.parse(render(relay), ORIGIN, dataDirectory);
    }

    /**
     * The config text, with or without the relay section (UDP and TCP listeners, and a URI for each).
     * Contains the token: never print it.
     */
    String render(boolean withRelay) {
        String text = template();
        int begin = text.indexOf(RELAY_BEGIN);
        int end = text.indexOf(RELAY_END);
        if (!withRelay && begin >= 0 && end > begin) {
            text = text.substring(0, begin) + text.substring(end + RELAY_END.length());
        }
        return text.replace("@DATA_DIR@", yamlQuoted(dataDirectory.toString()))
                .replace("@RELAY_PORT@", Integer.toString(ports.relay()))
                .replace("@HTTP_PORT@", Integer.toString(ports.http()))
                .replace("@ADMIN_PORT@", Integer.toString(ports.admin()))
                .replace("@DEV_TOKEN@", token.value());
    }

    /** The development access token (to print at startup: that is its purpose). */
    String developmentToken() {
        return token.value();
    }

    /** Whether this run generated the secret (first start in this data directory). */
    boolean secretCreated() {
        return secret.created();
    }

    /** The data directory, absolute. */
    Path dataDirectory() {
        return dataDirectory;
    }

    private static String template() {
        try (InputStream in = Objects.requireNonNull(DefaultConfig.class.getResourceAsStream(RESOURCE),
                RESOURCE + " missing from the jar")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Inside the template's double quotes.
    private static String yamlQuoted(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static void requirePort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new LauncherException(option + " must be a port between 1 and 65535, not " + port);
        }
    }
}
