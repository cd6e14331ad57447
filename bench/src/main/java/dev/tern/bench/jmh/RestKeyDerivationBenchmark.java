package dev.tern.bench.jmh;

import dev.tern.spi.Secret;
import dev.tern.credentials.LongTermKeys;
import dev.tern.credentials.rest.RestCredentialVerifier;
import dev.tern.credentials.rest.TurnRestPassword;
import dev.tern.spi.Verification;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * TURN REST key derivation as a relay does it for every authenticated request it cannot answer
 * from a cache: HMAC-SHA1 password, then the MD5/SHA-256 long-term keys; and the whole verifier check.
 */
public class RestKeyDerivationBenchmark extends HotPathBenchmark {

    private Secret secret;
    private String username;
    private RestCredentialVerifier verifier;

    @Setup
    public void setUp() {
        secret = Secret.of("benchmark-shared-secret-0123456789");
        long expiry = Instant.now().getEpochSecond() + 3600;
        username = expiry + ":@alice:example.org";
        verifier = RestCredentialVerifier.of(List.of(secret, Secret.of("previous-shared-secret-987654321")),
                Clock.systemUTC());
    }

    /** HMAC-SHA1(secret, username) in base64: the TURN REST password. */
    @Benchmark
    public String restPassword() {
        return TurnRestPassword.of(secret, username);
    }

    /** Password, then MD5 and SHA-256 of username:realm:password. */
    @Benchmark
    public Object longTermKey() {
        return LongTermKeys.derive(username, "turn.example.org", TurnRestPassword.of(secret, username));
    }

    /** The verifier's full check with two secrets (rotation), as the relay calls it. */
    @Benchmark
    public Verification verifyTwoSecrets() {
        return verifier.verify(username, "turn.example.org");
    }
}
