package dev.tern.credentials.rest;

import dev.tern.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TURN REST API password: standard padded base64 of HMAC-SHA1(secret, username), both in UTF-8,
 * exactly as Synapse, coturn, eturnal and Pion compute it.
 *
 * <p>Stateless and thread-safe (a new {@link Mac} per call: cheaper than sharing one safely).
 */
public final class TurnRestPassword {

    private TurnRestPassword() {
    }

    /** The password for this username under this secret. */
    public static String of(Secret secret, String username) {
        return Base64.getEncoder().encodeToString(hmacSha1(secret, username));
    }

    private static byte[] hmacSha1(Secret secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.bytes(), "HmacSHA1")); // config guarantees a non-empty secret
            return mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
        }
    }
}
