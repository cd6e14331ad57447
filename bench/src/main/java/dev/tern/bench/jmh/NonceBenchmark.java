package dev.tern.bench.jmh;

import dev.tern.relay.nonce.NonceService;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/** Nonce issue and check: done on every authenticated TURN request (check) and every 401 (issue). */
public class NonceBenchmark extends HotPathBenchmark {

    private NonceService nonces;
    private InetSocketAddress client;
    private String nonce;
    private String garbage;

    @Setup
    public void setUp() {
        nonces = new NonceService("benchmark server key, 32 bytes!".getBytes(StandardCharsets.US_ASCII),
                Clock.systemUTC(), Duration.ofMinutes(10));
        client = new InetSocketAddress("192.0.2.10", 50000);
        nonce = nonces.issue(client, true);
        garbage = "obMatJos2AAAB" + "x".repeat(32);
    }

    @Benchmark
    public NonceService.Check checkValid() {
        return nonces.check(nonce, client);
    }

    @Benchmark
    public NonceService.Check checkForged() {
        return nonces.check(garbage, client);
    }

    @Benchmark
    public String issue() {
        return nonces.issue(client, true);
    }
}
