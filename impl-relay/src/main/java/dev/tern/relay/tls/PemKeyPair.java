package dev.tern.relay.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEM certificate chain and its PKCS#8 private key, checked to belong together (a renewal caught
 * between writing the certificate and the key must not be served).
 *
 * <p>Immutable. {@link #read} throws {@link IOException} for unreadable, malformed or mismatched files;
 * messages name the files and the problem, never key material.
 *
 * @param chain the certificates, leaf first
 * @param key the leaf's private key
 */
record PemKeyPair(X509Certificate[] chain, PrivateKey key) {

    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    static PemKeyPair read(Path certFile, Path keyFile) throws IOException {
        X509Certificate[] chain;
        try (InputStream in = Files.newInputStream(certFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
        } catch (GeneralSecurityException e) {
            throw new IOException(certFile + " is not a PEM certificate chain (" + e.getMessage() + ")");
        }
        if (chain.length == 0) {
            throw new IOException(certFile + " holds no certificate");
        }
        Matcher m = PKCS8.matcher(Files.readString(keyFile, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IOException(keyFile + " holds no PKCS#8 'BEGIN PRIVATE KEY' block (convert other forms with "
                    + "openssl pkcs8 -topk8 -nocrypt)");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        PrivateKey key = null;
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                break;
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        if (key == null) {
            throw new IOException(keyFile + " holds a private key of an unsupported kind");
        }
        if (!matches(chain[0], key)) {
            throw new IOException(keyFile + " is not the private key of the first certificate in " + certFile);
        }
        return new PemKeyPair(chain, key);
    }

    /** Signs a probe with the key and verifies it with the certificate's public key. */
    private static boolean matches(X509Certificate cert, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // EdDSA names its own signature
        };
        try {
            byte[] probe = "tern key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
