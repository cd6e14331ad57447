package dev.tern.relay.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.tern.relay.core.allocation.AllocationState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    static void importCore() throws Exception {
        // The core's own classes and the parts it decides with are enough: a dependency is seen from its origin.
        // Read from the module's class directory alone: scanning the whole class path for these packages (every
        // Netty jar) is what made this test slow.
        Path classes = Path.of(AllocationState.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> packages = new ArrayList<>();
        for (String name : List.of("core", "auth", "nonce", "quota")) {
            packages.add(classes.resolve("dev/tern/relay").resolve(name));
        }
        core = new ClassFileImporter().importPaths(packages);
    }

    @Test
    void noClassOfTheCoreDependsOnNetty() {
        noClasses().that().resideInAPackage("dev.tern.relay.core..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .because("the TURN core is plain objects driven by a clock; Netty is the transport's (#17 point 1)")
                .check(core);
    }

    @Test
    void whatTheCoreDecidesWithDependsOnNoNettyEither() {
        noClasses().that().resideInAnyPackage("dev.tern.relay.auth..", "dev.tern.relay.nonce..",
                        "dev.tern.relay.quota..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .because("credentials are checked through StunCredentials, never a buffer; nonces and rate limits are"
                        + " plain values")
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
