package io.serverlessdata.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.Tag;

/**
 * A simulator on a manual clock and the real SDK client pointed at it, with the steps a test repeats: plan a
 * change set, wait for it, execute it, wait for the operation.
 */
final class SimulatorFixture implements AutoCloseable {

  static final Instant START = Instant.parse("2026-06-01T08:00:00Z");
  static final Timings TIMINGS = Timings.defaults();

  final ManualClock clock = new ManualClock(START);
  final CloudFormationSimulator simulator = CloudFormationSimulator.start(clock, TIMINGS);
  final CloudFormationClient client = CloudFormationClient.builder()
      .region(Region.US_EAST_1)
      .endpointOverride(simulator.endpoint())
      .credentialsProvider(credentials())
      .httpClient(UrlConnectionHttpClient.create())
      .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
      .build();

  static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASIMULATOR", "simulator"));
  }

  /** A template with a topic and a queue-less table, named after the stack, described as {@code description}. */
  static String template(String description, int readCapacity) {
    return """
        {"Description": "%s",
         "Resources": {
           "Topic": {"Type": "AWS::SNS::Topic"},
           "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
             "TableName": {"Fn::Sub": "${AWS::StackName}-table"},
             "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
             "ProvisionedThroughput": {"ReadCapacityUnits": %d, "WriteCapacityUnits": 5}}}},
         "Outputs": {"TableName": {"Value": {"Ref": "Table"}}}}""".formatted(description, readCapacity);
  }

  CreateChangeSetResponse plan(String stackName, String changeSetName, ChangeSetType type, String template,
      Map<String, String> tags) {
    CreateChangeSetResponse created = client.createChangeSet(r -> r.stackName(stackName).changeSetName(changeSetName)
        .changeSetType(type).templateBody(template).capabilities(Capability.CAPABILITY_IAM)
        .tags(tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList()));
    clock.advance(TIMINGS.changeSet());
    return created;
  }

  /** Plans and executes a CREATE change set, then lets the create finish. */
  String create(String stackName, String template) {
    String id = plan(stackName, "create-1", ChangeSetType.CREATE, template, Map.of("team", "data")).stackId();
    client.executeChangeSet(r -> r.stackName(stackName).changeSetName("create-1"));
    clock.advance(TIMINGS.create());
    return id;
  }

  /** Plans and executes an UPDATE change set, then lets the update (and its cleanup) finish. */
  void update(String stackName, String changeSetName, String template, String token) {
    plan(stackName, changeSetName, ChangeSetType.UPDATE, template, Map.of("team", "data"));
    client.executeChangeSet(r -> r.stackName(stackName).changeSetName(changeSetName).clientRequestToken(token));
    clock.advance(TIMINGS.update().plus(TIMINGS.cleanup()));
  }

  void deleteAndWait(String stackName, String token) {
    client.deleteStack(r -> r.stackName(stackName).clientRequestToken(token));
    clock.advance(TIMINGS.delete());
  }

  Stack describe(String stackNameOrId) {
    List<Stack> stacks = client.describeStacks(r -> r.stackName(stackNameOrId)).stacks();
    return stacks.get(0);
  }

  void advance(Duration duration) {
    clock.advance(duration);
  }

  @Override
  public void close() {
    client.close();
    simulator.close();
  }
}
