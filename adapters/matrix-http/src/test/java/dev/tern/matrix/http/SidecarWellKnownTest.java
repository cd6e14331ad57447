package dev.tern.matrix.http;

import static dev.tern.matrix.http.MatrixEndpointsTest.answer;
import static dev.tern.matrix.http.MatrixEndpointsTest.body;
import static dev.tern.matrix.http.MatrixEndpointsTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.api.Tern;
import dev.tern.matrix.http.TestHomeserver.Answer;
import dev.tern.testing.MutableClock;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sidecar mode: the homeserver's own well-known, fetched over real HTTP, with the flag merged in. */
class SidecarWellKnownTest {

    static final String PATH = "/.well-known/matrix/client";
    static final String UPSTREAM = "{\"m.homeserver\":{\"base_url\":\"https://upstream.example.org\"},"
            + "\"m.identity_server\":{\"base_url\":\"https://id.example.org\"},"
            + "\"org.matrix.msc2965.authentication\":{\"issuer\":\"https://auth.example.org/\"},"
            + "\"io.element.e2ee\":{\"default\":false}}";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    TestHomeserver upstream;
    TestTern fixture;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestHomeserver();
        fixture = TestTern.withIssuer(dir, clock, new TestTern.RecordingPolicy(true, Set.of(), true));
    }

    @AfterEach
    void stop() {
        upstream.close();
        fixture.close();
    }

    MatrixEndpoints sidecar(String timeout) {
        MatrixConfig config = MatrixEndpointsTest.config(Map.of("well_known_upstream", upstream.baseUrl() + PATH,
                "well_known_upstream_timeout", timeout, "well_known_upstream_cache_time", "30s"));
        return new MatrixEndpoints(config, fixture.tern, MatrixEndpointsTest.tokens(), HttpClient.newHttpClient(), clock);
    }

    JsonNode wellKnown(MatrixEndpoints endpoints) {
        MatrixResponse response = answer(endpoints, request("GET", PATH, Map.of()));
        assertEquals(200, response.status(), response.bodyText());
        return body(response);
    }

    @Test
    void mergesTheFlagIntoTheUpstreamDocumentKeepingEveryKey() {
        upstream.answer(PATH, Answer.json(200, UPSTREAM));
        JsonNode body = wellKnown(sidecar("2s"));
        assertEquals("https://upstream.example.org", body.at("/m.homeserver/base_url").asText());
        assertEquals("https://id.example.org", body.at("/m.identity_server/base_url").asText());
        assertEquals("https://auth.example.org/", body.at("/org.matrix.msc2965.authentication/issuer").asText());
        assertFalse(body.at("/io.element.e2ee/default").asBoolean(true));
        assertTrue(body.get(Tern.FORCE_TURN_KEY).asBoolean());
        assertEquals(5, body.size());
    }

    @Test
    void reusesTheUpstreamAnswerForTheCacheTime() {
        upstream.answer(PATH, Answer.json(200, UPSTREAM));
        MatrixEndpoints endpoints = sidecar("2s");
        wellKnown(endpoints);
        wellKnown(endpoints);
        assertEquals(1, upstream.requests());
        clock.advance(Duration.ofSeconds(31));
        wellKnown(endpoints);
        assertEquals(2, upstream.requests());
    }

    @Test
    void servesTheConfiguredDocumentWhenUpstreamAnswersJunk() {
        for (Answer junk : new Answer[] {Answer.json(200, "<html>502 Bad Gateway</html>"), Answer.json(200, "[1,2]"),
                Answer.json(200, "{\"m.homeserver\":{}}"), Answer.json(500, UPSTREAM), Answer.json(200, "")}) {
            upstream.answer(PATH, junk);
            JsonNode body = wellKnown(sidecar("2s"));
            assertEquals("https://matrix.example.org", body.at("/m.homeserver/base_url").asText(), junk.toString());
            assertTrue(body.get(Tern.FORCE_TURN_KEY).asBoolean());
        }
    }

    @Test
    void servesTheConfiguredDocumentWhenUpstreamHangs() {
        upstream.answer(PATH, Answer.hang());
        JsonNode body = wellKnown(sidecar("300ms"));
        assertEquals("https://matrix.example.org", body.at("/m.homeserver/base_url").asText());
        assertTrue(body.get(Tern.FORCE_TURN_KEY).asBoolean());
    }
}
