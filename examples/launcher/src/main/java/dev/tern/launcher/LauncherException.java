package dev.tern.launcher;

/**
 * A failure the user can act on (a file that cannot be read, a port in use, a missing tool): the
 * launcher prints the message alone and exits with status 1. Messages never contain a secret.
 */
public final class LauncherException extends RuntimeException {

    public LauncherException(String message) {
        super(message);
    }

    public LauncherException(String message, Throwable cause) {
        super(message, cause);
    }
}
