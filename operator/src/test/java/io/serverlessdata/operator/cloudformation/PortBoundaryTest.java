package io.serverlessdata.operator.cloudformation;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The port speaks the operator's terms: only the adapter and its client factory know the AWS SDK. */
class PortBoundaryTest {

  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.serverlessdata.operator");

  @Test
  void onlyTheAdapterUsesTheAwsSdk() {
    noClasses().that().resideInAPackage("io.serverlessdata.operator.cloudformation")
        .and().haveSimpleNameNotStartingWith("Aws")
        .and().doNotHaveSimpleName("ClientSettings")
        .and().doNotHaveSimpleName("CloudFormationClientFactory")
        .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")
        .check(classes);
  }
}
