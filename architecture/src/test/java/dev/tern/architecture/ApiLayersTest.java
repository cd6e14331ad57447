package dev.tern.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.tern.spi.Provider;

/**
 * The shape of #20.1, kept by the build: the plugin SPI ({@code dev.tern.spi}) depends on the JDK alone, the
 * host's facade ({@code dev.tern.api}) stands on it, the host helpers ({@code dev.tern.host}) on it too, and
 * nothing points back. Every factory a plugin implements is declared in the SPI, and tern-api carries no
 * compatibility constructor. The rules read the main classes of every library module.
 */
@AnalyzeClasses(packages = "dev.tern", importOptions = ImportOption.DoNotIncludeTests.class)
class ApiLayersTest {

    @ArchTest
    static final ArchRule spiDependsOnTheJdkAlone = classes().that().resideInAPackage("dev.tern.spi..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.tern.spi..")
            .because("a plugin sees dev.tern.spi and nothing else, so it never fights the host over versions "
                    + "and the SPI never depends on the facade built on it");

    @ArchTest
    static final ArchRule facadeStandsOnTheSpiAlone = classes().that().resideInAPackage("dev.tern.api..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.tern.spi..", "dev.tern.api..")
            .because("the facade (Tern) is built on the SPI, in one direction");

    @ArchTest
    static final ArchRule hostHelpersStandOnTheSpiAlone = classes().that().resideInAPackage("dev.tern.host..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.net.ssl..", "dev.tern.spi..",
                    "dev.tern.host..")
            .because("tern-host is what every host module shares; it must not pull a module in (javax.net.ssl is "
                    + "the JDK's, which LazyHttpClient's HttpClient methods return)");

    @ArchTest
    static final ArchRule apiPackagesFormNoCycle = slices().matching("dev.tern.(api|spi|host)..").should()
            .beFreeOfCycles();

    @ArchTest
    static final ArchRule pluginFactoriesAreDeclaredInTheSpi = classes().that().areInterfaces()
            .and().areAssignableTo(Provider.class)
            .should().resideInAPackage("dev.tern.spi")
            .because("a plugin implements only what tern-api declares (a factory declared in a module drags "
                    + "that module's dependencies into every plugin)");

    @ArchTest
    static final ArchRule apiHasNoCompatibilityConstructor = constructors().that().areDeclaredInClassesThat()
            .resideInAnyPackage("dev.tern.spi..", "dev.tern.api..", "dev.tern.host..")
            .should(notDelegateToAnotherConstructorOfTheirClass())
            .because("nothing is released yet: a type has its one constructor, callers pass every field");

    /**
     * The same for records everywhere: a record has its canonical constructor alone (a static factory names a
     * shortcut, like {@code RelayConfig.Tls.of(cert, key)}).
     */
    @ArchTest
    static final ArchRule recordsHaveTheirCanonicalConstructorAlone = constructors().that()
            .areDeclaredInClassesThat().areRecords()
            .should(notDelegateToAnotherConstructorOfTheirClass())
            .because("nothing is released yet: a compatibility constructor only keeps old call sites alive");

    /** A constructor that only calls another of its own class is a compatibility constructor. */
    static ArchCondition<JavaConstructor> notDelegateToAnotherConstructorOfTheirClass() {
        return new ArchCondition<>("not delegate to another constructor of their class") {
            @Override
            public void check(JavaConstructor constructor, ConditionEvents events) {
                JavaClass owner = constructor.getOwner();
                for (JavaConstructorCall call : constructor.getConstructorCallsFromSelf()) {
                    if (call.getTargetOwner().equals(owner)) {
                        events.add(SimpleConditionEvent.violated(constructor, constructor.getFullName()
                                + " delegates to " + call.getTarget().getFullName() + " in "
                                + constructor.getSourceCodeLocation()));
                    }
                }
            }
        };
    }
}
