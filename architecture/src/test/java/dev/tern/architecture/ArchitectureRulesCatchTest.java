package dev.tern.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.tern.api.archfixture.FacadeTypeSeeingTheSpi;
import dev.tern.architecture.fixture.TokenCheckProvider;
import dev.tern.architecture.fixture.WideConstructor;
import dev.tern.architecture.fixture.WideRecordWithBuilder;
import dev.tern.spi.archfixture.RecordWithCompatibilityConstructor;
import dev.tern.spi.archfixture.SpiTypeSeeingTheFacade;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link ApiLayersTest} and {@link SettingsByNameTest} refuses the mistake it is there for (fixtures in
 * the test sources).
 */
class ArchitectureRulesCatchTest {

    @Test
    void anSpiTypeThatSeesTheFacadeIsRefused() {
        assertRefused(ApiLayersTest.spiDependsOnTheJdkAlone, SpiTypeSeeingTheFacade.class,
                "dev.tern.api.archfixture.FacadeTypeSeeingTheSpi");
    }

    @Test
    void aCycleBetweenFacadeAndSpiIsRefused() {
        assertRefused(ApiLayersTest.apiPackagesFormNoCycle, SpiTypeSeeingTheFacade.class, "Cycle");
        EvaluationResult both = ApiLayersTest.apiPackagesFormNoCycle.evaluate(
                new ClassFileImporter().importClasses(SpiTypeSeeingTheFacade.class, FacadeTypeSeeingTheSpi.class));
        assertTrue(both.hasViolation(), both.getFailureReport()::toString);
    }

    @Test
    void aPluginFactoryDeclaredOutsideTheSpiIsRefused() {
        assertRefused(ApiLayersTest.pluginFactoriesAreDeclaredInTheSpi, TokenCheckProvider.class,
                "TokenCheckProvider");
    }

    @Test
    void aCompatibilityConstructorInTheApiIsRefused() {
        assertRefused(ApiLayersTest.apiHasNoCompatibilityConstructor, RecordWithCompatibilityConstructor.class,
                "RecordWithCompatibilityConstructor.<init>(java.lang.String) delegates to");
    }

    @Test
    void aRecordWithACompatibilityConstructorAnywhereIsRefused() {
        assertRefused(ApiLayersTest.recordsHaveTheirCanonicalConstructorAlone, RecordWithCompatibilityConstructor.class,
                "RecordWithCompatibilityConstructor.<init>(java.lang.String) delegates to");
    }

    @Test
    void aConstructorOfSevenParametersIsRefused() {
        assertRefused(SettingsByNameTest.noConstructorTakesMoreThanAHandfulOfParameters, WideConstructor.class,
                "WideConstructor.<init>(java.lang.String, int, boolean, java.lang.String, java.lang.String, long, int)"
                        + " takes 7 parameters");
    }

    @Test
    void theCanonicalConstructorOfARecordWithABuilderIsAccepted() {
        EvaluationResult result = SettingsByNameTest.noConstructorTakesMoreThanAHandfulOfParameters.evaluate(
                new ClassFileImporter().importClasses(WideRecordWithBuilder.class,
                        WideRecordWithBuilder.Builder.class));
        assertFalse(result.hasViolation(), result.getFailureReport()::toString);
    }

    private static void assertRefused(ArchRule rule, Class<?> fixture, String named) {
        JavaClasses classes = new ClassFileImporter().importClasses(fixture, FacadeTypeSeeingTheSpi.class);
        EvaluationResult result = rule.evaluate(classes);
        String report = String.join("\n", result.getFailureReport().getDetails());
        assertTrue(result.hasViolation() && report.contains(named), () -> "expected a violation naming " + named
                + ", got:\n" + report);
    }
}
