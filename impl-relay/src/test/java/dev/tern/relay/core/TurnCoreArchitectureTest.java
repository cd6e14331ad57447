package dev.tern.relay.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TURN core stays without Netty (#17 point 1, #20 point 5): its classes depend on no Netty type, and on none of
 * the relay's transport-side packages, which carry its decisions out. ArchUnit fails a rule that matches no class, so
 * the rules cannot pass by importing nothing.
 */
class TurnCoreArchitectureTest {

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        // The core's own classes are enough: a dependency is seen from its origin, whatever its target.
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tern.relay.core");
    }

    @Test
    void noClassOfTheCoreDependsOnNetty() {
        noClasses().that().resideInAPackage("dev.tern.relay.core..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .because("the TURN core is plain objects driven by a clock; Netty is the transport's (#17 point 1)")
                .check(core);
    }

    @Test
    void theCoreDependsOnNoTransportSidePackage() {
        noClasses().that().resideInAPackage("dev.tern.relay.core..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tern.relay.server..",
                        "dev.tern.relay.transport..", "dev.tern.relay.plane..", "dev.tern.relay.kernel..",
                        "dev.tern.relay.stream..", "dev.tern.relay.shared..", "dev.tern.relay.allocation..")
                .because("the data planes and transports carry out the core's decisions, never the other way round")
                .check(core);
    }
}
