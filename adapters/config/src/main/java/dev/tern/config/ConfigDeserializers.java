package dev.tern.config;

import dev.tern.host.DurationText;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.tern.spi.Bitrate;
import dev.tern.spi.Secret;
import dev.tern.spi.AddressRange;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Jackson deserializers for the value types config uses: {@link Duration} (see {@link DurationText}),
 * {@link Bitrate}, {@link AddressRange}, {@link Secret}, {@link Path} (resolved against the config directory), enums
 * (case-insensitive, {@code fail_closed} or {@code fail-closed}) and {@link ConfigSection} (kept unbound).
 * Each refuses bad input with an {@code InvalidFormatException} whose target type tells
 * {@link MappingErrors} what was expected. Stateless and thread-safe.
 */
final class ConfigDeserializers {

    /** The attribute under which the current {@link BindContext} and base path are passed. */
    static final Object CONTEXT = BindContext.class;
    static final Object BASE_PATH = "tern.basePath";

    private ConfigDeserializers() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("tern-config");
        module.addDeserializer(Duration.class, new DurationDeserializer());
        module.addDeserializer(Bitrate.class, new ParsedScalarDeserializer<>(Bitrate.class, Bitrate::parse));
        module.addDeserializer(AddressRange.class,
                new ParsedScalarDeserializer<>(AddressRange.class, AddressRange::parse));
        module.addDeserializer(Secret.class, new SecretDeserializer());
        module.addDeserializer(Path.class, new PathDeserializer());
        module.addDeserializer(ConfigSection.class, new SectionDeserializer());
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                    BeanDescription description, JsonDeserializer<?> deserializer) {
                return new EnumDeserializer(type.getRawClass());
            }
        });
        return module;
    }

    /** The names config accepts for an enum's constants: {@code fail_closed, last_known}. */
    static String enumNames(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            try {
                if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                    return DurationText.seconds(p.getText());
                }
                if (p.currentToken() == JsonToken.VALUE_STRING) {
                    return DurationText.parse(p.getText());
                }
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdStringException(p.getText(), Duration.class, DurationText.EXPECTED);
            }
            return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
        }
    }

    /** A value type written as one string (or whole number) and parsed by its own {@code parse}. */
    private static final class ParsedScalarDeserializer<T> extends StdScalarDeserializer<T> {
        private final Class<T> type;
        private final Function<String, T> parse;

        ParsedScalarDeserializer(Class<T> type, Function<String, T> parse) {
            super(type);
            this.type = type;
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_STRING) {
                try {
                    return parse.apply(p.getText());
                } catch (IllegalArgumentException e) {
                    throw ctxt.weirdStringException(p.getText(), type, e.getMessage());
                }
            }
            return type.cast(ctxt.handleUnexpectedToken(type, p));
        }
    }

    /** A secret written as the mask {@code check-config} prints in its place. */
    static final class MaskedSecretException extends com.fasterxml.jackson.databind.JsonMappingException {
        private static final long serialVersionUID = 1L;

        MaskedSecretException(JsonParser p) {
            super(p, "is " + Secret.MASK + ", the mask check-config prints in place of a secret written in the file: "
                    + "write the secret, or a ${ENV} reference to it, back");
        }
    }

    private static final class SecretDeserializer extends StdScalarDeserializer<Secret> {
        SecretDeserializer() {
            super(Secret.class);
        }

        @Override
        public Secret deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken().isScalarValue() && p.currentToken() != JsonToken.VALUE_NULL) {
                if (p.getText().equals(Secret.MASK)) {
                    throw new MaskedSecretException(p);
                }
                return Secret.of(p.getText());
            }
            return (Secret) ctxt.handleUnexpectedToken(Secret.class, p);
        }
    }

    private static final class PathDeserializer extends StdScalarDeserializer<Path> {
        PathDeserializer() {
            super(Path.class);
        }

        @Override
        public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING || p.getText().isBlank()) {
                return (Path) ctxt.handleUnexpectedToken(Path.class, p);
            }
            BindContext context = (BindContext) ctxt.getAttribute(CONTEXT);
            try {
                return context.document().configDirectory().resolve(p.getText()).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw ctxt.weirdStringException(p.getText(), Path.class, "not a valid file path");
            }
        }
    }

    private static final class EnumDeserializer extends StdScalarDeserializer<Object> {
        private final Class<?> enumType;

        EnumDeserializer(Class<?> enumType) {
            super(enumType);
            this.enumType = enumType;
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return ctxt.handleUnexpectedToken(enumType, p);
            }
            String wanted = p.getText().trim().replace('-', '_').replace(' ', '_');
            for (Object constant : enumType.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(wanted)) {
                    return constant;
                }
            }
            throw ctxt.weirdStringException(p.getText(), enumType, "expected one of " + enumNames(enumType));
        }
    }

    /** Keeps a sub-tree unbound, with its path, for a module that binds it itself. */
    private static final class SectionDeserializer extends JsonDeserializer<ConfigSection> {
        @Override
        public ConfigSection deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            BindContext context = (BindContext) ctxt.getAttribute(CONTEXT);
            String path = KeyPath.join((String) ctxt.getAttribute(BASE_PATH), MappingErrors.pathOf(p.getParsingContext()));
            JsonNode tree = p.readValueAsTree();
            return new ConfigSection(context.document(), context.binder(), path, tree);
        }
    }
}
