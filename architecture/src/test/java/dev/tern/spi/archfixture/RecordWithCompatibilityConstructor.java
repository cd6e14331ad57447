package dev.tern.spi.archfixture;

/**
 * A fixture for {@code ArchitectureRulesCatchTest}: a value that grew a field and kept a constructor for the
 * callers of its old shape.
 */
public record RecordWithCompatibilityConstructor(String name, boolean guest) {

    /** The constructor the rules must refuse. */
    public RecordWithCompatibilityConstructor(String name) {
        this(name, false);
    }
}
