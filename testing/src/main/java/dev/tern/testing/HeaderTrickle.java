package dev.tern.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A slow HTTP client against a real server: on one keep-alive connection it sends a complete request, reads the
 * whole answer, then starts a second request and trickles its headers, one short header line every
 * {@code every}, never finishing them, until the server closes the connection or {@code max} passes.
 *
 * @param answered whether the first request got an answer before the trickle started
 * @param trickledFor how long the server let the second request's headers trickle before closing, or
 *     {@code max} when it never closed
 * @param closed whether the server closed the connection
 */
public record HeaderTrickle(boolean answered, Duration trickledFor, boolean closed) {

    /**
     * @param firstRequest a complete keep-alive request (with its empty line), answered without a body or with a
     *     {@code Content-Length}
     */
    public static HeaderTrickle run(InetSocketAddress server, String firstRequest, Duration every, Duration max)
            throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(server, 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(firstRequest.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            boolean answered = readAnswer(in);
            long start = System.nanoTime();
            out.write("GET /.well-known/matrix/client HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout((int) Math.max(1, every.toMillis()));
            for (int line = 0; System.nanoTime() - start < max.toNanos(); line++) {
                try {
                    if (in.read() < 0) {
                        return new HeaderTrickle(answered, Duration.ofNanos(System.nanoTime() - start), true);
                    }
                } catch (SocketTimeoutException e) {
                    // still open: trickle the next line
                }
                try {
                    out.write(("X-Trickle-" + line + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    return new HeaderTrickle(answered, Duration.ofNanos(System.nanoTime() - start), true);
                }
            }
            return new HeaderTrickle(answered, max, false);
        }
    }

    /** Reads one answer: the head, then as many body bytes as its Content-Length says. */
    private static boolean readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.append((char) b);
        }
        long length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        for (long i = 0; i < length; i++) {
            if (in.read() < 0) {
                return false;
            }
        }
        return head.toString().startsWith("HTTP/1.1 ");
    }
}
