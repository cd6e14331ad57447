package dev.tern.config;

import dev.tern.spi.Provider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers of one kind ({@code CredentialIssuerProvider}, {@code PolicySourceProvider},
 * {@code RelayServerProvider}, or any other {@link Provider} interface such as the Matrix module's
 * access-token verifiers), by their {@code type} name.
 *
 * <p>Immutable and thread-safe once built. Building one from {@link ServiceLoader} logs which providers
 * were found; two providers claiming the same type is an {@link IllegalStateException} naming both
 * classes, because config could not say which one it means.
 *
 * @param <P> the provider interface
 */
public final class ProviderCatalog<P extends Provider<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderCatalog.class);

    private final Class<?> kind;
    private final Map<String, P> byType;

    private ProviderCatalog(Class<?> kind, List<? extends P> providers) {
        this.kind = Objects.requireNonNull(kind, "kind");
        Map<String, P> types = new TreeMap<>();
        for (P provider : providers) {
            String type = Objects.requireNonNull(provider.type(), () -> provider.getClass().getName() + ".type()");
            P previous = types.putIfAbsent(type, provider);
            if (previous != null) {
                throw new IllegalStateException("Two " + kind.getSimpleName() + "s claim type '" + type + "': "
                        + previous.getClass().getName() + " and " + provider.getClass().getName()
                        + "; remove one of them from the classpath");
            }
        }
        this.byType = Collections.unmodifiableMap(types);
    }

    /**
     * The providers of {@code kind} registered in {@code META-INF/services} and visible to
     * {@code classLoader}.
     *
     * @throws IllegalStateException when two providers claim the same type, or one cannot be loaded
     */
    public static <P extends Provider<?>> ProviderCatalog<P> discover(Class<? super P> kind,
            ClassLoader classLoader) {
        List<P> found = new ArrayList<>();
        try {
            for (Object provider : ServiceLoader.load(kind, classLoader)) {
                @SuppressWarnings("unchecked") // ServiceLoader checked it implements kind; P only adds <?>
                P typed = (P) provider;
                found.add(typed);
            }
        } catch (java.util.ServiceConfigurationError e) {
            throw new IllegalStateException("Cannot load a " + kind.getSimpleName() + ": " + e.getMessage(), e);
        }
        ProviderCatalog<P> catalog = new ProviderCatalog<>(kind, found);
        if (LOG.isInfoEnabled()) {
            LOG.info("{} types found: {}", kind.getSimpleName(), catalog.describe());
        }
        return catalog;
    }

    /** The providers of {@code kind} visible to the class loader that loaded {@code kind}. */
    public static <P extends Provider<?>> ProviderCatalog<P> discover(Class<? super P> kind) {
        return discover(kind, kind.getClassLoader());
    }

    /** A catalog of exactly these providers, for hosts that build them in code and for tests. */
    public static <P extends Provider<?>> ProviderCatalog<P> of(Class<? super P> kind, List<? extends P> providers) {
        return new ProviderCatalog<>(kind, providers);
    }

    /**
     * This catalog with {@code more} added: providers the host made itself (constructed with its own services,
     * such as a policy source that needs the homeserver's group store) or found elsewhere (a plugin's class
     * loader), next to the discovered ones.
     *
     * @throws IllegalStateException when one of {@code more} claims a type this catalog, or another of
     *     {@code more}, already has
     */
    public ProviderCatalog<P> with(List<? extends P> more) {
        List<P> all = new ArrayList<>(byType.values());
        all.addAll(more);
        return new ProviderCatalog<>(kind, all);
    }

    /** The provider interface this catalog holds. */
    public Class<?> kind() {
        return kind;
    }

    /** The provider for a type, if one is known. */
    public Optional<P> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The known type names, sorted. */
    public List<String> types() {
        return List.copyOf(byType.keySet());
    }

    /**
     * What to tell a user who asked for an unknown type: the known types and the nearest one.
     * For example {@code unknown type 'rset' (did you mean 'rest'?); known types: rest, static}.
     */
    public String unknownTypeMessage(String type) {
        if (byType.isEmpty()) {
            return "unknown type '" + type + "': no " + kind.getSimpleName()
                    + " is on the classpath (add the module that provides it)";
        }
        return "unknown type '" + type + "'" + NearestKey.hint(type, byType.keySet()) + "; known types: "
                + String.join(", ", byType.keySet());
    }

    private String describe() {
        if (byType.isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        byType.forEach((type, provider) -> text.append(text.length() == 0 ? "" : ", ").append(type).append(" (")
                .append(provider.getClass().getName()).append(')'));
        return text.toString();
    }

    @Override
    public String toString() {
        return "ProviderCatalog[" + kind.getSimpleName() + ": " + String.join(", ", byType.keySet()) + "]";
    }
}
