package io.serverlessdata.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the dependency direction of DESIGN §1: spec → template → plan → stack → status, never backwards. */
class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.serverlessdata.operator");

  @Test
  void templateKnowsNeitherKubernetesNorAws() {
    noClasses().that().resideInAPackage("..template..")
        .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "software.amazon..", "io.javaoperatorsdk..")
        .because("the template model is pure CloudFormation and must render offline")
        .check(CLASSES);
  }

  @Test
  void templateDoesNotReachBack() {
    noClasses().that().resideInAPackage("..template..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "..operator.api..", "..operator.app..", "..operator.reconciler..", "..operator.cloudformation..",
            "..operator.sandbox..")
        .check(CLASSES);
  }

  @Test
  void apiDoesNotReachBack() {
    noClasses().that().resideInAPackage("..operator.api..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "..operator.app..", "..operator.reconciler..", "..operator.cloudformation..", "..operator.sandbox..")
        .check(CLASSES);
  }

  @Test
  void nothingButTheAppDependsOnTheApp() {
    noClasses().that().resideOutsideOfPackage("..operator.app..")
        .should().dependOnClassesThat().resideInAPackage("..operator.app..")
        .check(CLASSES);
  }
}
