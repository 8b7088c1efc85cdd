package io.serverlessdata.operator.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.serverlessdata.operator.template.cfn.Fn;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Templates shared by shape give exactly what a render from scratch gives. */
class StackTemplateShapeTest {

  /** Every setting changed away from the defaults, one at a time, on both the smallest and the largest shape. */
  private static final List<Consumer<TestSettings>> CHANGES = List.of(
      s -> s.prefix = "billing-dev",
      s -> s.read = 50,
      s -> s.write = 25,
      s -> s.email = "oncall@example.org",
      s -> s.environment = "Staging",
      s -> s.runtime = LambdaRuntime.NODEJS_20,
      s -> s.memory = 1024,
      s -> s.timeout = 30,
      s -> s.quota = 5000,
      s -> s.rate = 50,
      s -> s.burst = 100,
      s -> s.loggingLevel = ApiLoggingLevel.INFO,
      s -> s.logRetention = 90,
      s -> s.tags.put("team", "billing"),
      s -> s.tracing = !s.tracing,
      s -> s.origins = s.origins.isEmpty() ? List.of("https://a.example.com") : List.of("https://b.example.com"),
      s -> s.objectLock = s.objectLock.isPresent() ? Optional.of(new StackSettings.ObjectLock(ObjectLockMode.GOVERNANCE, 7))
          : Optional.of(new StackSettings.ObjectLock(ObjectLockMode.COMPLIANCE, 30)),
      s -> s.topicEncryption = s.topicEncryption == TopicEncryption.AwsManaged ? TopicEncryption.CustomerManaged
          : TopicEncryption.AwsManaged,
      s -> s.dataRetention = s.dataRetention == DataRetention.Retain ? DataRetention.Delete : DataRetention.Retain);

  @Test
  void everySpecRendersTheSameBytesAndHashAsARenderFromScratch() {
    List<TestSettings> variants = new ArrayList<>();
    for (Consumer<TestSettings> change : CHANGES) {
      for (TestSettings base : List.of(TestSettings.defaults(), TestSettings.everything())) {
        change.accept(base);
        variants.add(base);
      }
    }
    variants.add(TestSettings.defaults());
    variants.add(TestSettings.everything());

    for (TestSettings variant : variants) {
      StackSettings settings = variant.build();
      String prefix = settings.resourcePrefix();
      RenderedStack shared = StackTemplate.render(settings, Optional.of("123456789012"));
      RenderedStack fresh = StackTemplate.render(settings, HandlerSource.get(), Storage.tableName(prefix),
          Storage.bucketName(prefix, "123456789012"));

      assertThat(shared.templateBody()).isEqualTo(fresh.templateBody());
      assertThat(shared.parameters()).isEqualTo(fresh.parameters());
      assertThat(shared.tags()).isEqualTo(fresh.tags());
      assertThat(shared.hash()).isEqualTo(fresh.hash());
      assertThat(StackTemplate.render(settings).templateBody()).as("offline, the account left to CloudFormation")
          .isEqualTo(StackTemplate.render(settings, HandlerSource.get(), Storage.tableName(prefix),
              Fn.sub(Storage.bucketName(prefix, "${AWS::AccountId}"))).templateBody());
    }
  }

  @Test
  void stacksOfTheSameShapeShareOneTemplate() {
    TestSettings one = TestSettings.defaults();
    TestSettings other = TestSettings.defaults();
    other.prefix = "billing-dev";
    other.read = 40;
    other.tags = new java.util.TreeMap<>(Map.of("Environment", "Staging"));

    RenderedStack first = one.render();
    RenderedStack second = other.render();

    assertThat(second.template()).isSameAs(first.template());
    assertThat(second.hash()).isNotEqualTo(first.hash());
    assertThat(second.parameters()).containsEntry("ResourcePrefix", "billing-dev").containsEntry("DynamoDbReadCapacity", "40");
  }
}
