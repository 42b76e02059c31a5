package io.aibroker.reliability.layering;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each layering rule, run on fixtures in this test tree that mimic aibroker's packages under a root
 * of their own: on {@code rightway} (every dependency the right way) none reports anything; on
 * {@code wrongway} each reports exactly the wrong-way dependency planted for it — so {@link
 * LayeringTest} fails the build on such a dependency in the real code.
 */
class WrongWayImportTest {

  private static final String RIGHT = "io.aibroker.reliability.layering.rightway";
  private static final String WRONG = "io.aibroker.reliability.layering.wrongway";

  private static final JavaClasses RIGHT_WAY = new ClassFileImporter().importPackages(RIGHT);
  private static final JavaClasses WRONG_WAY = new ClassFileImporter().importPackages(WRONG);

  @Test
  void aBuildingBlockDependingOnTheAppBreaksTheLayers() {
    assertThat(violations(LayeringRules.moduleLayers(RIGHT, false), RIGHT_WAY)).isEmpty();

    List<String> violations = violations(LayeringRules.moduleLayers(WRONG, false), WRONG_WAY);
    assertThat(violations)
        .isNotEmpty()
        .allSatisfy(
            v ->
                assertThat(v)
                    .startsWith("Method <" + WRONG + ".broker.Admission.admit(")
                    .contains("<" + WRONG + ".app.Platform.running()>"));
  }

  @Test
  void theAppsRootOrHttpApiUsingTheCliIsReported() {
    assertThat(violations(LayeringRules.onlyMainUsesTheCli(RIGHT), RIGHT_WAY)).isEmpty();

    List<String> violations = violations(LayeringRules.onlyMainUsesTheCli(WRONG), WRONG_WAY);
    assertThat(violations)
        .anySatisfy(v -> assertThat(v).contains("<" + WRONG + ".app.Platform.endpoints>"))
        .anySatisfy(v -> assertThat(v).contains("<" + WRONG + ".app.http.Handler.endpoints>"))
        .noneSatisfy(v -> assertThat(v).contains(WRONG + ".app.Main"))
        .allSatisfy(v -> assertThat(v).contains(WRONG + ".app.cli.Endpoints"));
  }

  @Test
  void aCycleBetweenTheAppsPackagesIsReported() {
    assertThat(violations(LayeringRules.appPackagesFreeOfCycles(RIGHT), RIGHT_WAY)).isEmpty();

    List<String> violations = violations(LayeringRules.appPackagesFreeOfCycles(WRONG), WRONG_WAY);
    assertThat(String.join("\n", violations))
        .contains("Cycle detected")
        .contains(WRONG + ".app.config.Limits")
        .contains(WRONG + ".app.http.Handler");
  }

  @Test
  void aClassInAnotherModulesPackageIsReported() {
    // The fixtures are this module's test classes, so a fixture in a package the broker would own
    // is what bench's BrokerHotPathsBenchmark was in io.aibroker.broker.
    List<String> violations = violations(LayeringRules.packagesStayInTheirModule(WRONG), WRONG_WAY);
    assertThat(violations)
        .contains(
            WRONG
                + ".broker.Admission is in aibroker-reliability (test classes), but its package "
                + WRONG
                + ".broker belongs to aibroker-broker");
  }

  private static List<String> violations(ArchRule rule, JavaClasses classes) {
    EvaluationResult result = rule.evaluate(classes);
    return result.getFailureReport().getDetails();
  }
}
