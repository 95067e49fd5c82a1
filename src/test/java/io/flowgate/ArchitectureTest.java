package io.flowgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward: api → admission → store; observability and the error model use none of
 * the feature packages, and no two packages depend on each other.
 */
class ArchitectureTest {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.flowgate");

  @Test
  void storeDoesNotKnowTheLayersAboveIt() {
    noClasses()
        .that()
        .resideInAPackage("io.flowgate.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.flowgate.api..", "io.flowgate.admission..")
        .check(classes);
  }

  @Test
  void admissionDoesNotKnowTheApi() {
    noClasses()
        .that()
        .resideInAPackage("io.flowgate.admission..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.flowgate.api..")
        .check(classes);
  }

  @Test
  void observabilityUsesNoFeaturePackage() {
    noClasses()
        .that()
        .resideInAPackage("io.flowgate.observability..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.flowgate.api..",
            "io.flowgate.admission..",
            "io.flowgate.store..",
            "io.flowgate.engine..",
            "io.flowgate.worker..",
            "io.flowgate.definition..")
        .check(classes);
  }

  @Test
  void theErrorModelUsesNoOtherFlowgatePackage() {
    noClasses()
        .that()
        .resideInAPackage("io.flowgate.problem..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.flowgate.api..",
            "io.flowgate.admission..",
            "io.flowgate.audit..",
            "io.flowgate.config..",
            "io.flowgate.definition..",
            "io.flowgate.dolphinscheduler..",
            "io.flowgate.engine..",
            "io.flowgate.observability..",
            "io.flowgate.retention..",
            "io.flowgate.store..",
            "io.flowgate.worker..")
        .check(classes);
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.flowgate.(**)").should().beFreeOfCycles().check(classes);
  }
}
