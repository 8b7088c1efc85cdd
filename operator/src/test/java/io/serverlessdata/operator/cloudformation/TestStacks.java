package io.serverlessdata.operator.cloudformation;

import io.serverlessdata.operator.template.ApiLoggingLevel;
import io.serverlessdata.operator.template.DataRetention;
import io.serverlessdata.operator.template.LambdaRuntime;
import io.serverlessdata.operator.template.RenderedStack;
import io.serverlessdata.operator.template.StackSettings;
import io.serverlessdata.operator.template.StackTemplate;
import io.serverlessdata.operator.template.TopicEncryption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The real stack template, rendered from the spec's defaults with the few values a test varies. */
final class TestStacks {

  static final String PREFIX = "orders-prod";

  private TestStacks() {}

  static RenderedStack rendered() {
    return rendered(PREFIX, 5);
  }

  /** The default stack with another prefix and read capacity. */
  static RenderedStack rendered(String prefix, int readCapacity) {
    return StackTemplate.render(new StackSettings(prefix, readCapacity, 5, "ops@example.com", "Production",
        new StackSettings.Lambda(LambdaRuntime.DEFAULT, 256, 10, false),
        new StackSettings.Api(1000, 10, 20, List.of(), ApiLoggingLevel.ERROR),
        30, DataRetention.Retain, Optional.empty(),
        TopicEncryption.AwsManaged, Map.of("Environment", "Production", "serverlessdata.io/owner", "team-a/orders")));
  }
}
