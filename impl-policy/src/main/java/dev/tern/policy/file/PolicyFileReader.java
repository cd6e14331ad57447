package dev.tern.policy.file;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tern.api.Bitrate;
import dev.tern.api.DurationText;
import dev.tern.spi.InvalidSettingException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a policy file into a {@link RuleBook}: YAML for {@code .yaml}/{@code .yml}, JSON for
 * {@code .json}. Keys are snake_case; unknown keys, bad values and wrong types are refused with a
 * {@link PolicyFileException} naming the line and the key path.
 *
 * <p>Thread-safe (Jackson mappers are).
 */
public final class PolicyFileReader {

    private final Path file;
    private final ObjectMapper mapper;

    /**
     * @param file the file; its extension picks the format
     * @throws IllegalArgumentException when the extension is neither YAML nor JSON
     */
    public PolicyFileReader(Path file) {
        this.file = file;
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        JsonMapper.Builder builder;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            builder = JsonMapper.builder(new YAMLFactory());
        } else if (name.endsWith(".json")) {
            builder = JsonMapper.builder();
        } else {
            throw new IllegalArgumentException("policy file " + file + " must end in .yaml, .yml or .json");
        }
        SimpleModule values = new SimpleModule("tern-policy-file");
        values.addDeserializer(Bitrate.class, text(Bitrate.class, Bitrate::parse));
        values.addDeserializer(Duration.class, text(Duration.class, DurationText::parse));
        values.addDeserializer(Cidr.class, text(Cidr.class, Cidr::parse));
        values.addDeserializer(NamePattern.class, text(NamePattern.class, NamePattern::parse));
        this.mapper = builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .addModule(values)
                .build();
    }

    /** The file this reader reads. */
    public Path file() {
        return file;
    }

    /** Parses the file's content. */
    public RuleBook read(byte[] content) throws PolicyFileException {
        try {
            RuleBook book = mapper.readValue(content, RuleBook.class);
            return book == null ? RuleBook.EMPTY : book;
        } catch (JsonMappingException e) {
            throw describe(e);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new PolicyFileException(file, at == null ? 0 : at.getLineNr(), "",
                    "not valid " + (mapper.getFactory() instanceof YAMLFactory ? "YAML" : "JSON") + ": "
                            + oneLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new PolicyFileException(file, 0, "", "cannot be read: " + e.getMessage(), e);
        }
    }

    private PolicyFileException describe(JsonMappingException e) {
        StringBuilder key = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                key.append(key.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                key.append('[').append(ref.getIndex()).append(']');
            }
        }
        String problem = oneLine(e.getOriginalMessage());
        if (e instanceof UnrecognizedPropertyException unknown) {
            problem = "unknown key (expected one of: " + unknown.getKnownPropertyIds().stream().map(Object::toString)
                    .sorted().collect(Collectors.joining(", ")) + ")";
        } else if (e.getCause() instanceof InvalidSettingException invalid) {
            key.append(key.length() == 0 ? "" : ".").append(invalid.key());
            problem = invalid.problem();
        } else if (e.getCause() instanceof IllegalArgumentException invalid) {
            problem = invalid.getMessage();
        }
        JsonLocation at = e.getLocation();
        return new PolicyFileException(file, at == null ? 0 : at.getLineNr(), key.toString(), problem, e);
    }

    /** The parser's own lines of a message, without the quoted source and position markers. */
    private static String oneLine(String message) {
        return message == null ? "" : message.lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .collect(Collectors.joining("; "));
    }

    private static <T> JsonDeserializer<T> text(Class<T> type, Function<String, T> parse) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = p.getValueAsString();
                if (text == null) {
                    return type.cast(ctxt.handleUnexpectedToken(String.class, p));
                }
                try {
                    return parse.apply(text);
                } catch (IllegalArgumentException e) {
                    throw InvalidFormatException.from(p, e.getMessage(), text, type);
                }
            }
        };
    }
}
