package dev.tern.config.shapes;

import dev.tern.spi.Subject;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySource;
import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.ProviderContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Test stand-ins for the {@code file}, {@code ldap} and {@code well-known} policy sources. */
public final class PolicyShapes {

    private PolicyShapes() {
    }

    /** A source with nothing to say. */
    static final PolicySource SILENT = new PolicySource() {
        @Override
        public CompletionStage<PolicyAnswer> evaluate(Subject subject) {
            return CompletableFuture.completedFuture(PolicyAnswer.NONE);
        }

        @Override
        public CompletionStage<PolicyAnswer> evaluateServerWide() {
            return CompletableFuture.completedFuture(PolicyAnswer.NONE);
        }
    };

    public record FileConfig(Path path, Duration reload) {
        public FileConfig {
            if (path == null) {
                throw new InvalidSettingException("path", "required: the policy file to read");
            }
            reload = reload == null ? Duration.ofSeconds(5) : reload;
        }
    }

    public record LdapConfig(String url, String bindDn, dev.tern.spi.Secret bindPassword, String baseDn,
            Duration cacheTtl, Integer port) {
        public LdapConfig {
            if (url == null || !(url.startsWith("ldap://") || url.startsWith("ldaps://"))) {
                throw new InvalidSettingException("url", "expected an ldap:// or ldaps:// URL");
            }
            cacheTtl = cacheTtl == null ? Duration.ofMinutes(5) : cacheTtl;
        }
    }

    public record WellKnownConfig(String url, Duration refresh) {
    }

    private abstract static class Silent<C> implements PolicySourceProvider<C> {
        @Override
        public PolicySource create(C config, ProviderContext context) {
            return SILENT;
        }
    }

    public static final class FileProvider extends Silent<FileConfig> {
        @Override
        public String type() {
            return "file";
        }

        @Override
        public Class<FileConfig> configType() {
            return FileConfig.class;
        }
    }

    public static final class LdapProvider extends Silent<LdapConfig> {
        @Override
        public String type() {
            return "ldap";
        }

        @Override
        public Class<LdapConfig> configType() {
            return LdapConfig.class;
        }
    }

    public static final class WellKnownProvider extends Silent<WellKnownConfig> {
        @Override
        public String type() {
            return "well-known";
        }

        @Override
        public Class<WellKnownConfig> configType() {
            return WellKnownConfig.class;
        }
    }
}
