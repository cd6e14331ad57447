package dev.tern.turn.client;

import dev.tern.stun.PasswordAlgorithm;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunMessageWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * A {@link TurnClient}'s long-term credential state (RFC 8489 section 9.2): the username and password, what the
 * server's last challenge said (REALM, NONCE, PASSWORD-ALGORITHMS) and how requests are signed. Not thread-safe:
 * it belongs to one client.
 */
final class LongTermCredentials {

    private String username;
    private String password;
    private String realm;
    private String nonce;
    private byte[] offeredAlgorithms;
    private RequestIntegrity integrity = RequestIntegrity.classic();

    void use(String user, String pass) {
        this.username = user;
        this.password = pass;
    }

    void integrity(RequestIntegrity how) {
        this.integrity = how;
    }

    /** Whether a challenge gave a nonce, so requests can be signed without asking first. */
    boolean challenged() {
        return nonce != null;
    }

    /** Takes REALM, NONCE and PASSWORD-ALGORITHMS from a 401 or 438 answer. */
    void adoptChallenge(StunResponse challenge) {
        challenge.challenge().realm().ifPresent(r -> realm = r);
        challenge.challenge().nonce().ifPresent(n -> nonce = n);
        challenge.passwordAlgorithms().ifPresent(a -> offeredAlgorithms = a);
    }

    Optional<byte[]> key() {
        if (username == null || realm == null) {
            return Optional.empty();
        }
        return Optional.of(digest(passwordAlgorithm().digest(), username + ":" + realm + ":" + password));
    }

    PasswordAlgorithm passwordAlgorithm() {
        return switch (integrity.algorithm()) {
            case NONE, MD5 -> PasswordAlgorithm.MD5;
            case SHA256 -> PasswordAlgorithm.SHA256;
            case FIRST_OFFERED -> firstOffered().orElse(PasswordAlgorithm.MD5);
        };
    }

    /** Adds USERNAME, REALM, NONCE and the integrity attributes, when there are credentials and a challenge. */
    void sign(StunMessageWriter w) {
        if (username == null || nonce == null) {
            return;
        }
        w.string(StunAttribute.USERNAME, username).string(StunAttribute.REALM, realm)
                .string(StunAttribute.NONCE, nonce);
        if (integrity.echoAlgorithms() && offeredAlgorithms != null) {
            w.bytes(StunAttribute.PASSWORD_ALGORITHMS, offeredAlgorithms);
        }
        if (integrity.algorithm() != RequestIntegrity.AlgorithmChoice.NONE) {
            w.passwordAlgorithm(passwordAlgorithm().code());
        }
        byte[] key = key().orElseThrow();
        if (integrity.messageIntegrity()) {
            w.integrity(key);
        }
        if (integrity.messageIntegritySha256()) {
            w.integritySha256(key);
        }
    }

    private Optional<PasswordAlgorithm> firstOffered() {
        if (offeredAlgorithms == null) {
            return Optional.empty();
        }
        ByteBuf list = Unpooled.wrappedBuffer(offeredAlgorithms);
        while (list.readableBytes() >= 4) {
            int code = list.readUnsignedShort();
            int parameters = list.readUnsignedShort();
            Optional<PasswordAlgorithm> known = PasswordAlgorithm.of(code);
            if (known.isPresent()) {
                return known;
            }
            list.skipBytes(Math.min(list.readableBytes(), (parameters + 3) & ~3));
        }
        return Optional.empty();
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
