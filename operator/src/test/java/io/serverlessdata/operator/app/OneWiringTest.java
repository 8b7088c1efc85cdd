package io.serverlessdata.operator.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.javaoperatorsdk.operator.Operator;
import io.serverlessdata.operator.reconciler.ServerlessDataStackReconciler;
import org.junit.jupiter.api.Test;

/**
 * {@code run}, the sandbox, the ITs and the scale run build the operator one way, {@link OperatorRuntime#create}, so
 * that a test runs the operator users run (metrics, event filters, retry, leader election). The rule reads the
 * compiled main AND test classes: a test that assembles JOSDK or the reconciler by itself fails here.
 */
class OneWiringTest {

  private static final JavaClasses EVERYTHING = new ClassFileImporter().importPackages("io.serverlessdata");

  @Test
  void onlyTheRuntimeAssemblesJosdkAndTheReconciler() {
    noClasses().that().doNotHaveFullyQualifiedName(OperatorRuntime.class.getName())
        .should(callConstructorOf(Operator.class))
        .orShould(callConstructorOf(ServerlessDataStackReconciler.class))
        .because("every way of running the operator goes through OperatorRuntime.create")
        .check(EVERYTHING);
  }

  private static ArchCondition<JavaClass> callConstructorOf(Class<?> type) {
    return ArchConditions.callConstructorWhere(DescribedPredicate.describe("a constructor of " + type.getSimpleName(),
        (JavaConstructorCall call) -> call.getTarget().getOwner().isEquivalentTo(type)));
  }
}
