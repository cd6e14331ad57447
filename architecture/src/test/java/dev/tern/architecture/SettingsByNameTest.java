package dev.tern.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings travel by name (#20.2): no constructor of Tern's main code, in any module (bench, the launcher and the
 * examples too) and of any visibility, takes more than {@value #MAX_PARAMETERS} parameters, so no caller writes
 * {@code null, null, true, null, ...} and no reader counts commas. Values that travel together become a small record
 * per concern; settings get a builder.
 *
 * <p>The one wider form allowed is the canonical constructor of a record with a builder (a public static
 * {@code builder(...)} whose {@code build()} returns the record): config files bind to that constructor through
 * Jackson, and Java callers name each setting with the builder. {@link #everySettingsBuilderSetsEveryComponent}
 * makes sure the builder names every component, so the wide constructor is never the only way to set one.
 */
@AnalyzeClasses(packages = "dev.tern", importOptions = ImportOption.DoNotIncludeTests.class)
class SettingsByNameTest {

    /** "A handful". */
    static final int MAX_PARAMETERS = 6;

    @ArchTest
    static final ArchRule noConstructorTakesMoreThanAHandfulOfParameters = constructors()
            .that().areDeclaredInClassesThat().resideInAPackage("dev.tern..")
            .should(takeAtMostAHandfulOfParameters())
            .because("settings travel by name: a record per concern, or a builder for settings (#20.2)");

    /** Every record with a builder has a builder method named after each component, taking its type. */
    @ArchTest
    static void everySettingsBuilderSetsEveryComponent(JavaClasses classes) {
        Set<String> missing = new TreeSet<>();
        int builders = 0;
        for (JavaClass type : classes) {
            Optional<JavaClass> builder = type.isRecord() ? builderOf(type) : Optional.empty();
            if (builder.isEmpty()) {
                continue;
            }
            builders++;
            for (RecordComponent component : type.reflect().getRecordComponents()) {
                boolean named = builder.get().getAllMethods().stream()
                        .anyMatch(m -> m.getName().equals(component.getName())
                                && m.getModifiers().contains(JavaModifier.PUBLIC)
                                && m.getRawParameterTypes().size() == 1
                                && (m.getRawParameterTypes().get(0).isEquivalentTo(component.getType())
                                        || m.getRawReturnType().equals(builder.get())));
                if (!named) {
                    missing.add(type.getName() + "." + component.getName());
                }
            }
        }
        assertTrue(builders >= 6, "found the settings builders: " + builders);
        assertEquals(new TreeSet<>(), missing, "record components without a builder method of the same name");
    }

    static ArchCondition<JavaConstructor> takeAtMostAHandfulOfParameters() {
        return new ArchCondition<>("take at most " + MAX_PARAMETERS + " parameters") {
            @Override
            public void check(JavaConstructor constructor, ConditionEvents events) {
                int count = constructor.getRawParameterTypes().size();
                JavaClass owner = constructor.getOwner();
                if (count <= MAX_PARAMETERS || canonicalOfRecordWithBuilder(constructor)) {
                    return;
                }
                events.add(SimpleConditionEvent.violated(constructor, constructor.getFullName() + " takes " + count
                        + " parameters (at most " + MAX_PARAMETERS + "): group values that travel together into a "
                        + "record per concern, or give settings a builder, in " + constructor.getSourceCodeLocation()));
            }
        };
    }

    /** The canonical constructor of a record that offers a builder: the form config files bind to. */
    static boolean canonicalOfRecordWithBuilder(JavaConstructor constructor) {
        JavaClass owner = constructor.getOwner();
        if (!owner.isRecord() || builderOf(owner).isEmpty()) {
            return false;
        }
        List<Class<?>> components = Arrays.stream(owner.reflect().getRecordComponents())
                .<Class<?>>map(RecordComponent::getType).toList();
        List<Class<?>> parameters = constructor.getRawParameterTypes().stream()
                .<Class<?>>map(JavaClass::reflect).toList();
        return components.equals(parameters);
    }

    /** The type a public static {@code builder(...)} of {@code type} returns, when its {@code build()} makes one. */
    static Optional<JavaClass> builderOf(JavaClass type) {
        for (JavaMethod method : type.getMethods()) {
            if (method.getName().equals("builder") && method.getModifiers().contains(JavaModifier.STATIC)
                    && method.getModifiers().contains(JavaModifier.PUBLIC)) {
                JavaClass builder = method.getRawReturnType();
                boolean builds = builder.getAllMethods().stream().anyMatch(m -> m.getName().equals("build")
                        && m.getRawParameterTypes().isEmpty() && m.getRawReturnType().equals(type));
                if (builds) {
                    return Optional.of(builder);
                }
            }
        }
        return Optional.empty();
    }
}
