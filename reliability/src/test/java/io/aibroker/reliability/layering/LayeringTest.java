package io.aibroker.reliability.layering;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering rules ({@link LayeringRules}) on every main class of aibroker's modules, as this
 * module's test class path holds them (it depends on the bench, which depends on everything): a
 * wrong-way dependency fails the build. {@link WrongWayImportTest} shows each rule failing.
 */
@AnalyzeClasses(
    packages = LayeringTest.ROOT,
    importOptions = {
      ImportOption.DoNotIncludeTests.class,
      ModuleLocations.DoNotIncludeTestJars.class
    })
class LayeringTest {

  static final String ROOT = "io.aibroker";

  @ArchTest static final ArchRule moduleLayers = LayeringRules.moduleLayers(ROOT, true);

  @ArchTest
  static final ArchRule appPackagesFreeOfCycles = LayeringRules.appPackagesFreeOfCycles(ROOT);

  @ArchTest static final ArchRule onlyMainUsesTheCli = LayeringRules.onlyMainUsesTheCli(ROOT);

  @ArchTest
  static final ArchRule packagesStayInTheirModule = LayeringRules.packagesStayInTheirModule(ROOT);
}
