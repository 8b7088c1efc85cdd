package io.serverlessdata.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChangeCalculatorTest {

  private static final String TEMPLATE = """
      {"Parameters": {"Prefix": {"Type": "String"}, "Memory": {"Type": "Number"}, "Unused": {"Type": "String", "Default": "x"}},
       "Resources": {
         "Function": {"Type": "AWS::Lambda::Function", "Properties": {
           "FunctionName": {"Fn::Sub": ["${P}-processor", {"P": {"Ref": "Prefix"}}]},
           "MemorySize": {"Ref": "Memory"}, "Tags": [{"Key": "Environment", "Value": "Production"}]}},
         "Permission": {"Type": "AWS::Lambda::Permission", "Properties": {
           "FunctionName": {"Fn::GetAtt": ["Function", "Arn"]}, "Action": "lambda:InvokeFunction",
           "Principal": "apigateway.amazonaws.com"}},
         "Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
           "AlarmDescription": {"Fn::Sub": "Errors of ${Function}"}}}
         %s}}""";

  private final ChangeCalculator calculator = new ChangeCalculator("orders", "arn:stack/orders");
  private final Deployment current = deployment("", Map.of("Prefix", "orders", "Memory", "256"), Map.of());

  @Test
  void aNewStackAddsEveryResource() {
    ChangeCalculator.Plan plan = calculator.compute(Optional.empty(), Map.of(), current);

    assertThat(plan.changes()).extracting(ChangeCalculator.ResourceChange::action, ChangeCalculator.ResourceChange::logicalId)
        .containsExactly(tuple("Add", "Alarm"), tuple("Add", "Function"), tuple("Add", "Permission"));
  }

  @Test
  void aRenamedResourceIsReplacedAndWhatRefersToItChangesDynamically() {
    ChangeCalculator.Plan plan = calculator.compute(Optional.of(current), Map.of(),
        deployment("", Map.of("Prefix", "billing", "Memory", "256"), Map.of()));

    assertThat(plan.changes())
        .extracting(ChangeCalculator.ResourceChange::logicalId, c -> c.replacement().orElseThrow())
        .containsExactly(tuple("Alarm", "False"), tuple("Function", "True"), tuple("Permission", "Conditional"));
    assertThat(plan.changes().get(2).details()).singleElement().satisfies(detail -> {
      assertThat(detail.name()).isEqualTo("FunctionName");
      assertThat(detail.evaluation()).isEqualTo("Dynamic");
    });
  }

  @Test
  void aParameterChangeModifiesOnlyTheResourcesUsingIt() {
    ChangeCalculator.Plan plan = calculator.compute(Optional.of(current), Map.of("Function", "orders-processor"),
        deployment("", Map.of("Prefix", "orders", "Memory", "512"), Map.of()));

    assertThat(plan.changes()).singleElement().satisfies(change -> {
      assertThat(change.logicalId()).isEqualTo("Function");
      assertThat(change.physicalId()).contains("orders-processor");
      assertThat(change.replacement()).contains("False");
      assertThat(change.scope()).containsExactly("Properties");
    });
  }

  @Test
  void addedRemovedAndRetaggedResourcesAreListed() {
    Deployment withTopic = deployment(", \"Topic\": {\"Type\": \"AWS::SNS::Topic\"}",
        Map.of("Prefix", "orders", "Memory", "256"), Map.of("team", "a"));

    assertThat(calculator.compute(Optional.of(current), Map.of(), withTopic).changes())
        .extracting(ChangeCalculator.ResourceChange::action, ChangeCalculator.ResourceChange::logicalId,
            ChangeCalculator.ResourceChange::scope)
        .containsExactly(tuple("Modify", "Function", Set.of("Tags")), tuple("Add", "Topic", Set.of()));
    assertThat(calculator.compute(Optional.of(withTopic), Map.of(), current).changes())
        .extracting(ChangeCalculator.ResourceChange::action, ChangeCalculator.ResourceChange::logicalId)
        .containsExactly(tuple("Modify", "Function"), tuple("Remove", "Topic"));
  }

  @Test
  void nothingDifferentIsNoChangeButAnUnusedParameterStillChangesTheStack() {
    assertThat(calculator.compute(Optional.of(current), Map.of(), current).changesStack()).isFalse();

    ChangeCalculator.Plan unused = calculator.compute(Optional.of(current), Map.of(),
        deployment("", Map.of("Prefix", "orders", "Memory", "256", "Unused", "y"), Map.of()));

    assertThat(unused.changes()).isEmpty();
    assertThat(unused.changesStack()).isTrue();
  }

  private static Deployment deployment(String moreResources, Map<String, String> parameters, Map<String, String> tags) {
    SimulatedTemplate template = SimulatedTemplate.parse(TEMPLATE.formatted(moreResources));
    return new Deployment(template, template.bind(parameters), tags, Optional.empty());
  }
}
