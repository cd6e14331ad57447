package dev.tern.credentials.rest;

import dev.tern.spi.Secret;
import dev.tern.spi.InvalidSettingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared secrets of a {@code rest} section: the inline {@code secrets} first, then one secret per
 * {@code secret_files} entry, in config order. The first signs; every one verifies.
 *
 * <p>Thread-safe: readers get an immutable {@link Snapshot}; {@link #reloadIfChanged()} swaps in a new
 * one atomically. Files are re-read when their modification time or size changes (a cheap poll, run by
 * the issuer on the host's scheduler; no file watcher thread). A file that becomes unreadable, empty
 * or weak keeps the last good secrets in force and is logged by path, never by content.
 */
final class SecretRing {

    /** The shortest secret accepted without {@code allow_weak_secret}, in UTF-8 bytes. */
    static final int MIN_SECRET_BYTES = 16;

    private static final Logger LOG = LoggerFactory.getLogger(SecretRing.class);

    /**
     * The secrets in force at one moment.
     *
     * @param secrets at least one, the signing secret first, no duplicates
     * @param generation increases each time the secrets change, so caches keyed on it never serve
     *     credentials signed by a secret that was removed
     */
    record Snapshot(List<Secret> secrets, long generation) {
        Snapshot {
            secrets = List.copyOf(secrets);
        }

        Secret signing() {
            return secrets.get(0);
        }
    }

    private record FileStamp(FileTime modified, long size) {
    }

    private final List<Secret> inline;
    private final List<Path> files;
    private final boolean allowWeak;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final Object reloadLock = new Object();
    private List<FileStamp> stamps;

    /**
     * Loads the secrets.
     *
     * @throws InvalidSettingException naming {@code secrets} or {@code secret_files[i]} when there is no
     *     secret, or a file cannot be read, is empty, or is weak
     */
    SecretRing(List<Secret> inline, List<Path> files, boolean allowWeak) {
        this.inline = List.copyOf(inline);
        this.files = List.copyOf(files);
        this.allowWeak = allowWeak;
        if (this.inline.isEmpty() && this.files.isEmpty()) {
            throw new InvalidSettingException("secrets", "at least one secret is needed: give secrets or secret_files");
        }
        this.stamps = stampFiles();
        current.set(new Snapshot(combine(readFiles()), 0));
    }

    /** The secrets in force now. */
    Snapshot current() {
        return current.get();
    }

    /** Whether any secret comes from a file (and so can change). */
    boolean hasFiles() {
        return !files.isEmpty();
    }

    /**
     * Re-reads the secret files if any changed since the last read.
     *
     * @return whether the secrets in force changed
     */
    boolean reloadIfChanged() {
        synchronized (reloadLock) {
            List<FileStamp> now;
            try {
                now = stampFiles();
            } catch (InvalidSettingException e) {
                LOG.warn("Keeping the current TURN secrets: {}", e.getMessage());
                return false;
            }
            if (now.equals(stamps)) {
                return false;
            }
            List<Secret> fromFiles;
            try {
                fromFiles = readFiles();
            } catch (InvalidSettingException e) {
                LOG.warn("Keeping the current TURN secrets: {}", e.getMessage());
                return false;
            }
            stamps = now;
            List<Secret> combined = combine(fromFiles);
            Snapshot old = current.get();
            if (combined.equals(old.secrets())) {
                return false;
            }
            current.set(new Snapshot(combined, old.generation() + 1));
            LOG.info("Reloaded TURN secrets from {} file(s): {} secret(s) in force", files.size(), combined.size());
            return true;
        }
    }

    /**
     * Refuses a secret shorter than {@link #MIN_SECRET_BYTES} unless weak secrets are allowed. The message
     * never shows the secret or its length.
     */
    static void requireStrong(String key, Secret secret, boolean allowWeak) {
        if (secret.reveal().isBlank()) {
            throw new InvalidSettingException(key, "is empty; expected a random secret of at least "
                    + MIN_SECRET_BYTES + " bytes");
        }
        if (!allowWeak && secret.byteLength() < MIN_SECRET_BYTES) {
            throw new InvalidSettingException(key, "is shorter than " + MIN_SECRET_BYTES + " bytes; use a random "
                    + "secret (for example: openssl rand -base64 32), or set allow_weak_secret: true");
        }
    }

    private List<Secret> combine(List<Secret> fromFiles) {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        inline.forEach(s -> unique.add(s.reveal()));
        fromFiles.forEach(s -> unique.add(s.reveal()));
        return unique.stream().map(Secret::of).toList();
    }

    private List<FileStamp> stampFiles() {
        List<FileStamp> result = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(files.get(i), BasicFileAttributes.class);
                result.add(new FileStamp(attributes.lastModifiedTime(), attributes.size()));
            } catch (IOException e) {
                throw unreadable(i, e);
            }
        }
        return result;
    }

    private List<Secret> readFiles() {
        List<Secret> result = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            String text;
            try {
                text = Files.readString(files.get(i), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw unreadable(i, e);
            }
            Secret secret = Secret.of(text);
            requireStrong("secret_files[" + i + "] (" + files.get(i) + ")", secret, allowWeak);
            result.add(secret);
        }
        return result;
    }

    private InvalidSettingException unreadable(int index, IOException e) {
        return new InvalidSettingException("secret_files[" + index + "]", "cannot read " + files.get(index) + " ("
                + e.getClass().getSimpleName() + ")");
    }
}
