package io.serverlessdata.operator.template;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Builds {@link StackSettings} for tests: the spec's defaults unless a test says otherwise. */
final class TestSettings {

  String prefix = "orders-prod";
  int read = 5;
  int write = 5;
  String email = "ops@example.com";
  String environment = "Production";
  LambdaRuntime runtime = LambdaRuntime.DEFAULT;
  int memory = 256;
  int timeout = 10;
  boolean tracing;
  int quota = 1000;
  int rate = 10;
  int burst = 20;
  List<String> origins = List.of();
  ApiLoggingLevel loggingLevel = ApiLoggingLevel.ERROR;
  int logRetention = 30;
  DataRetention dataRetention = DataRetention.Retain;
  Optional<StackSettings.ObjectLock> objectLock = Optional.empty();
  TopicEncryption topicEncryption = TopicEncryption.AwsManaged;
  Map<String, String> tags = new TreeMap<>(Map.of("Environment", "Production"));

  static TestSettings defaults() {
    return new TestSettings();
  }

  /** Every optional part switched on: the largest template. */
  static TestSettings everything() {
    TestSettings all = new TestSettings();
    all.tracing = true;
    all.origins = List.of("https://app.example.com", "http://localhost:3000");
    all.objectLock = Optional.of(new StackSettings.ObjectLock(ObjectLockMode.COMPLIANCE, 3650));
    all.topicEncryption = TopicEncryption.CustomerManaged;
    all.dataRetention = DataRetention.Delete;
    return all;
  }

  StackSettings build() {
    return new StackSettings(prefix, read, write, email, environment,
        new StackSettings.Lambda(runtime, memory, timeout, tracing),
        new StackSettings.Api(quota, rate, burst, origins, loggingLevel),
        logRetention, dataRetention, objectLock, topicEncryption, tags);
  }

  RenderedStack render() {
    return StackTemplate.render(build());
  }
}
