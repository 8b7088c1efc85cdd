package io.serverlessdata.simulator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The simulator stands on its own (docs/architecture.md): the operator's tests and the sandbox depend on it, never
 * the other way round, and it answers the wire protocols from what AWS documents, not from the code under test.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.serverlessdata.simulator");

  @Test
  void theSimulatorKnowsNeitherTheOperatorNorTheSandbox() {
    noClasses().that().resideInAPackage("io.serverlessdata.simulator..")
        .should().dependOnClassesThat().resideInAnyPackage("io.serverlessdata.operator..", "io.serverlessdata.sandbox..")
        .because("the operator's tests use the simulator: it must not be built from what it tests")
        .check(CLASSES);
  }

  @Test
  void theSimulatorSpeaksTheWireProtocolWithoutTheAwsSdkOrFabric8() {
    noClasses().that().resideInAPackage("io.serverlessdata.simulator..")
        .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "io.fabric8..", "io.javaoperatorsdk..")
        .because("the SDK client under test talks to it over HTTP, as it talks to AWS")
        .check(CLASSES);
  }

}
