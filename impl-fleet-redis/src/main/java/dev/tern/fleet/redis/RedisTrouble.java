package dev.tern.fleet.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;

/** Why a Redis call failed, said without secrets or addresses. Stateless. */
final class RedisTrouble {

    private RedisTrouble() {
    }

    /**
     * What went wrong, in a few words fit for a log line and {@code /health/ready}: never the password, the
     * address or Lettuce's message (which names the address).
     */
    static String reason(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("WRONGPASS") || m.contains("NOAUTH") || m.contains("invalid password")) {
                return "authentication refused";
            }
        }
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (e instanceof RedisCommandTimeoutException || e instanceof java.util.concurrent.TimeoutException) {
            return "no answer in time";
        }
        if (e instanceof RedisConnectionException) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof javax.net.ssl.SSLException) {
                    return "TLS handshake failed";
                }
            }
            return "cannot connect";
        }
        return String.valueOf(e.getMessage()).contains("not connected") ? "not connected"
                : e.getClass().getSimpleName();
    }
}
