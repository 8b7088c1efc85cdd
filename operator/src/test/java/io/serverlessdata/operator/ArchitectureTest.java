package io.serverlessdata.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the dependency direction of docs/architecture.md ("Packages"): spec → template → plan → stack → status, never backwards. */
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
            "..operator.api..", "..operator.app..", "..operator.reconciler..", "..operator.cloudformation..")
        .check(CLASSES);
  }

  @Test
  void apiDoesNotReachBack() {
    noClasses().that().resideInAPackage("..operator.api..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "..operator.app..", "..operator.reconciler..", "..operator.cloudformation..")
        .check(CLASSES);
  }

  @Test
  void nothingButTheAppDependsOnTheApp() {
    noClasses().that().resideOutsideOfPackage("..operator.app..")
        .should().dependOnClassesThat().resideInAPackage("..operator.app..")
        .check(CLASSES);
  }

  @Test
  void theProductionCodeKnowsNeitherTheSimulatorNorTheSandbox() {
    noClasses().that().resideInAPackage("io.serverlessdata.operator..")
        .should().dependOnClassesThat().resideInAnyPackage("io.serverlessdata.simulator..", "io.serverlessdata.sandbox..")
        .because("they are test and try-out tools in their own modules (sandbox/), outside the production jar")
        .check(CLASSES);
  }

  @Test
  void theProductionCodeDoesNotUseTheMockApiServer() {
    noClasses().that().resideInAPackage("io.serverlessdata.operator..")
        .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client.server.mock..",
            "io.fabric8.mockwebserver..", "okhttp3.mockwebserver..")
        .because("kubernetes-server-mock is a test dependency of the operator")
        .check(CLASSES);
  }

  @Test
  void onlyTheReportWritesTheStatus() {
    noClasses().that().doNotHaveFullyQualifiedName("io.serverlessdata.operator.reconciler.StatusReport")
        .and().resideOutsideOfPackage("io.serverlessdata.operator.api..")
        .should().callMethodWhere(DescribedPredicate.describe("a setter of the status",
            (JavaMethodCall call) -> call.getTarget().getOwner().getPackageName().equals("io.serverlessdata.operator.api")
                && call.getTarget().getOwner().getSimpleName().equals("ServerlessDataStackStatus")
                && call.getTarget().getName().startsWith("set")))
        .because("the pass builds the new status in one place from the values of its steps (docs/architecture.md)")
        .check(CLASSES);
  }

  @Test
  void theReconcilerDependsOnNeitherTheAppNorTheSdk() {
    noClasses().that().resideInAPackage("..operator.reconciler..")
        .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "..operator.app..")
        .because("AWS comes in through the port (cloudformation), its errors translated once in the adapter")
        .check(CLASSES);
  }
}
