package dev.tern.relay.kernel;

import dev.tern.relay.kernel.UdpSocket.Datagram;
import dev.tern.testing.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A real UDP socket inside a network namespace: {@code udp_agent.py} run with {@code ip netns exec}, driven over its
 * stdin and stdout. Not thread-safe; {@link #close()} kills it.
 */
final class NamespacedUdpAgent implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final InetSocketAddress address;

    NamespacedUdpAgent(String namespace, InetAddress bind, Path script) throws IOException {
        process = new ProcessBuilder(List.of("ip", "netns", "exec", namespace, "python3", script.toString(),
                bind.getHostAddress())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        String[] bound = line().split(" ");
        if (!bound[0].equals("bound")) {
            throw new IOException("udp agent in " + namespace + " said: " + String.join(" ", bound));
        }
        address = new InetSocketAddress(bind, Integer.parseInt(bound[1]));
    }

    /** Copies {@code udp_agent.py} out of the test resources to {@code dir}. */
    static Path script(Path dir) throws IOException {
        Path script = dir.resolve("udp_agent.py");
        try (InputStream res = NamespacedUdpAgent.class.getResourceAsStream("udp_agent.py")) {
            java.nio.file.Files.write(script, res.readAllBytes());
        }
        return script;
    }

    InetSocketAddress address() {
        return address;
    }

    void send(byte[] data, InetSocketAddress to) throws IOException {
        command("send " + to.getAddress().getHostAddress() + " " + to.getPort() + " "
                + (data.length == 0 ? "-" : HexFormat.of().formatHex(data)));
        String answer = line();
        if (!answer.equals("sent")) {
            throw new IOException("udp agent could not send: " + answer);
        }
    }

    /** From now on its IPv4 datagrams carry a zero UDP checksum (none), as RFC 768 allows. */
    void sendWithoutChecksums() throws IOException {
        command("nocheck");
        String answer = line();
        if (!answer.equals("ok")) {
            throw new IOException("udp agent could not turn checksums off: " + answer);
        }
    }

    /**
     * Sets its IPv4 path MTU discovery ({@code IP_MTU_DISCOVER}): {@code dontFragment} true sets DF on every
     * datagram ({@code IP_PMTUDISC_DO}), false on none ({@code IP_PMTUDISC_DONT}).
     */
    void dontFragment(boolean dontFragment) throws IOException {
        command("pmtudisc " + (dontFragment ? 2 : 0));
        String answer = line();
        if (!answer.equals("ok")) {
            throw new IOException("udp agent could not set IP_MTU_DISCOVER: " + answer);
        }
    }

    Optional<Datagram> receive(Duration wait) throws IOException {
        command("recv " + wait.toMillis() / 1000.0);
        String[] answer = line().split(" ");
        if (answer[0].equals("none")) {
            return Optional.empty();
        }
        byte[] data = answer[3].equals("-") ? new byte[0] : HexFormat.of().parseHex(answer[3]);
        return Optional.of(new Datagram(new InetSocketAddress(InetAddress.getByName(answer[1]),
                Integer.parseInt(answer[2])), data));
    }

    /** The process id of the agent, whose {@code /proc/PID/net} shows its namespace's counters. */
    long pid() {
        return process.pid();
    }

    private void command(String line) throws IOException {
        in.write(line + "\n");
        in.flush();
    }

    private String line() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("udp agent ended");
        }
        return line;
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
