package io.aibroker.reliability.layering;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Optional;

/**
 * The rules that keep aibroker's layers apart, over the packages under a root ({@code io.aibroker}
 * for the build; {@link WrongWayImportTest} runs them on fixtures under a root of its own to show
 * that each one catches what it is meant to). docs/ARCHITECTURE.md, "Modules", explains them.
 */
final class LayeringRules {

  private LayeringRules() {}

  /**
   * Module layering by package: a module's classes are used only by modules of higher tiers ({@link
   * Module}), so nothing depends on the bench, only the bench on the app, and the building blocks
   * (broker, workers, client, embedded, connectors) neither on the app nor on each other.
   *
   * @param everyModulePresent whether each module must have classes (true for the build: a module
   *     missing from the class path would otherwise go unchecked)
   */
  static ArchRule moduleLayers(String root, boolean everyModulePresent) {
    LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (Module module : Module.values()) {
      layers = layers.layer(module.layer()).definedBy(module.packages(root));
    }
    for (Module module : Module.values()) {
      String[] dependents = module.dependents();
      layers =
          dependents.length == 0
              ? layers.whereLayer(module.layer()).mayNotBeAccessedByAnyLayer()
              : layers.whereLayer(module.layer()).mayOnlyBeAccessedByLayers(dependents);
    }
    return layers
        .withOptionalLayers(!everyModulePresent)
        .as(
            "modules depend only on modules below them (schemas <- connector API <- connectors,"
                + " embedded, broker, workers, client <- app <- bench)");
  }

  /**
   * No package of the app depends, directly or through others, on a package that depends on it.
   * {@code Main}, the command line's root that names every subcommand, is a slice of its own: the
   * commands use the app's root package (Platform) and Main uses the commands.
   */
  static ArchRule appPackagesFreeOfCycles(String root) {
    String app = root + ".app";
    String main = app + ".Main";
    SliceAssignment byPackage =
        new SliceAssignment() {
          @Override
          public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getName();
            String pkg = javaClass.getPackageName();
            if (name.equals(main) || name.startsWith(main + "$")) {
              return SliceIdentifier.of(main);
            }
            if (pkg.equals(app)) {
              return SliceIdentifier.of(app);
            }
            if (pkg.startsWith(app + ".")) {
              String sub = pkg.substring(app.length() + 1);
              int dot = sub.indexOf('.');
              return SliceIdentifier.of(app + "." + (dot < 0 ? sub : sub.substring(0, dot)));
            }
            return SliceIdentifier.ignore();
          }

          @Override
          public String getDescription() {
            return "the app's packages (" + main + " on its own)";
          }
        };
    return slices().assignedFrom(byPackage).should().beFreeOfCycles();
  }

  /**
   * The CLI is a leaf: nothing but {@code Main} depends on {@code app.cli} — not the HTTP API, not
   * {@code Platform} or anything else in the app's root package, not the bench. What a command
   * shares with them belongs in a package of its own.
   */
  static ArchRule onlyMainUsesTheCli(String root) {
    String cli = root + ".app.cli..";
    String main = root + ".app.Main";
    DescribedPredicate<JavaClass> mainOrNested =
        DescribedPredicate.describe(
            "Main", c -> c.getName().equals(main) || c.getName().startsWith(main + "$"));
    return noClasses()
        .that()
        .resideInAPackage(root + "..")
        .and()
        .resideOutsideOfPackage(cli)
        .and(DescribedPredicate.not(mainOrNested))
        .should()
        .dependOnClassesThat()
        .resideInAPackage(cli)
        .as("nothing but " + main + " depends on " + cli);
  }

  /**
   * No package is split across modules: every class under the root is in the module that owns its
   * package ({@link Module}), so no module reaches another's package-private code by sharing its
   * package, and every package has an owner.
   */
  static ArchRule packagesStayInTheirModule(String root) {
    return classes()
        .that()
        .resideInAPackage(root + "..")
        .should(
            new ArchCondition<>("be in the module that owns their package") {
              @Override
              public void check(JavaClass javaClass, ConditionEvents events) {
                String pkg = javaClass.getPackageName();
                String artifact = ModuleLocations.artifactOf(javaClass);
                Optional<Module> owner = Module.owning(root, pkg);
                if (owner.isEmpty()) {
                  events.add(
                      SimpleConditionEvent.violated(
                          javaClass,
                          javaClass.getName()
                              + " (in "
                              + artifact
                              + ") is in package "
                              + pkg
                              + ", which no module owns"));
                } else if (!owner.get().artifactId.equals(artifact)) {
                  events.add(
                      SimpleConditionEvent.violated(
                          javaClass,
                          javaClass.getName()
                              + " is in "
                              + artifact
                              + ", but its package "
                              + pkg
                              + " belongs to "
                              + owner.get().artifactId));
                }
              }
            });
  }
}
