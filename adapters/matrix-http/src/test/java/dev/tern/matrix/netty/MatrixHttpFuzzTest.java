package dev.tern.matrix.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.Secret;
import dev.tern.api.Tern;
import dev.tern.spi.TurnPolicy;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.credentials.rest.RestCredentialsProvider;
import dev.tern.matrix.auth.fixed.StaticTokenVerifier;
import dev.tern.matrix.auth.fixed.StaticTokensConfig;
import dev.tern.matrix.http.MatrixConfig;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.spi.CredentialIssuer;
import dev.tern.host.SimpleProviderContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the Matrix HTTP endpoints (issue #16 point 14) through the Netty binding's
 * real pipeline ({@link MatrixHttpServer#pipeline}: HTTP codec with its limits, aggregator,
 * {@link MatrixHttpHandler}, {@link MatrixEndpoints} with the real {@code rest} issuer and static
 * tokens) on an embedded channel. An input's first byte is the size of the reads the bytes arrive in
 * (0: one read); the rest is what a client sends. Corpus in
 * {@code src/test/resources/dev/tern/matrix/netty/MatrixHttpFuzzTestInputs/}: turnServer and
 * well-known requests as matrix-js-sdk and curl send them, pipelined, with tokens in the header and the
 * query, and oversized ones.
 *
 * <p>What must hold for any bytes: no exception leaves the pipeline, everything written back is a
 * sequence of well-formed HTTP responses (status line, {@code Content-Length} equal to the body), each
 * error a Matrix JSON error with an {@code errcode}, never a 500, and no buffer is left unreleased.
 */
class MatrixHttpFuzzTest {

    private static ScheduledExecutorService scheduler;
    private static Path dir;
    private static CredentialIssuer issuer;
    private static Tern tern;
    private static MatrixEndpoints endpoints;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A policy with one fixed answer, recording nothing (fuzzing asks it millions of times). */
    private static final Provenance TEST = new Provenance("test", "test");
    private static final PolicyEvaluator POLICY = PolicyEvaluator.answering(new PolicyDecision(TurnPolicy.builder()
            .forceRelay(true).turnAllowed(true).guestsAllowed(false).build(),
            Map.of(PolicyField.FORCE_RELAY, TEST, PolicyField.TURN_ALLOWED, TEST, PolicyField.GUESTS_ALLOWED, TEST)));

    @BeforeAll
    static void endpoints() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        dir = Files.createTempDirectory("tern-matrix-fuzz");
        SimpleProviderContext context = SimpleProviderContext.of("example.org", scheduler, dir);
        issuer = new RestCredentialsProvider().create(RestCredentialsConfig.builder()
                .secrets(List.of(Secret.of("a-fuzz-secret-that-is-long-enough")))
                .lifetime(Duration.ofHours(1))
                .uris(List.of("turn:turn.example.org:3478?transport=udp"))
                .build(), context);
        tern = Tern.builder().policy(POLICY).issuer(issuer).build();
        endpoints = new MatrixEndpoints(MatrixConfig.withWellKnown(Map.of("m.homeserver",
                Map.of("base_url", "https://matrix.example.org"))), tern,
                new StaticTokenVerifier(StaticTokensConfig.shortForm(Map.of("tok-alice", "@alice:example.org",
                        "tok-guest", "@guest:example.org"), List.of("@guest:example.org"))),
                HttpClient.newHttpClient(), Clock.systemUTC());
    }

    @AfterAll
    static void close() throws Exception {
        tern.close();
        scheduler.shutdownNow();
        Files.deleteIfExists(dir);
    }

    /** An embedded channel with socket addresses, as a TCP connection has. */
    private static final class Connection extends EmbeddedChannel {
        @Override
        protected SocketAddress localAddress0() {
            return new InetSocketAddress("127.0.0.1", 8008);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("127.0.0.1", 50000);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void everyRequestStreamGetsWellFormedHttpAnswersOnly(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        int step = (input[0] & 0xFF) == 0 ? Math.max(1, stream.length) : input[0] & 0xFF;
        Connection ch = new Connection();
        MatrixHttpServer.pipeline(ch.pipeline(), new MatrixHttpHandler(endpoints), 8192, dev.tern.guard.ListenerGuard.create("http",
                dev.tern.guard.ListenerLimits.DEFAULT, java.time.Clock.systemUTC(), dev.tern.spi.MetricsRecorder.NONE));
        List<ByteBuf> sent = new ArrayList<>();
        ByteBuf written = Unpooled.buffer();
        for (int i = 0; i < stream.length && ch.isActive(); i += step) {
            ByteBuf read = Unpooled.copiedBuffer(stream, i, Math.min(step, stream.length - i));
            sent.add(read);
            ch.writeInbound(read); // rethrows anything that reached the end of the pipeline
            ch.runPendingTasks();
            collect(ch, written);
        }
        ch.finishAndReleaseAll();
        collect(ch, written);
        for (ByteBuf b : sent) {
            assertEquals(0, b.refCnt(), "a read buffer was not released once the connection closed");
        }
        try {
            int answers = checkResponses(written);
            String text = new String(stream, StandardCharsets.ISO_8859_1);
            if (text.startsWith("GET /") && text.contains("\r\n\r\n")) {
                assertTrue(answers >= 1, "a complete GET request got no answer");
            }
        } finally {
            written.release();
        }
    }

    private static void collect(EmbeddedChannel ch, ByteBuf into) {
        for (Object m; (m = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) m;
            into.writeBytes(b);
            b.release();
        }
        for (Object m; (m = ch.readInbound()) != null; ) {
            io.netty.util.ReferenceCountUtil.release(m);
            throw new AssertionError("the Matrix handler passed a message on: " + m.getClass().getName());
        }
    }

    /** Decodes what was written as HTTP responses, as a client would; returns how many there were. */
    private static int checkResponses(ByteBuf written) throws Exception {
        int count = 0;
        EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
        client.writeInbound(written.retainedDuplicate());
        client.finish();
        for (Object m; (m = client.readInbound()) != null; ) {
            FullHttpResponse response = (FullHttpResponse) m;
            count++;
            try {
                assertTrue(response.decoderResult().isSuccess(), () -> "not well-formed HTTP: "
                        + written.toString(StandardCharsets.ISO_8859_1));
                int status = response.status().code();
                assertTrue(status >= 200 && status <= 599, "status " + status);
                assertNotEquals(500, status, () -> "an internal error: " + written.toString(StandardCharsets.UTF_8));
                assertEquals(response.content().readableBytes(),
                        response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH, -1), "Content-Length");
                String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
                if (type.contains("json")) {
                    JsonNode body = JSON.readTree(response.content().toString(StandardCharsets.UTF_8));
                    assertTrue(body.isObject(), "a JSON answer that is not an object");
                    if (status >= 400) {
                        assertTrue(body.path("errcode").isTextual(), () -> "an error without errcode: " + body);
                    }
                } else {
                    assertTrue(status < 400 && response.content().readableBytes() == 0,
                            () -> "an answer that is not JSON: " + written.toString(StandardCharsets.UTF_8));
                }
            } finally {
                response.release();
            }
        }
        return count;
    }
}
