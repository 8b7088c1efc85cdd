package io.serverlessdata.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetNotFoundException;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.InsufficientCapabilitiesException;

/** The simulator's wire format, as the plain AWS SDK client and a plain HTTP client see it. */
class CloudFormationSimulatorTest {

  private static final String ROLE_TEMPLATE = """
      {"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}}}}""";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T08:00:00Z"));
  private final CloudFormationSimulator simulator = CloudFormationSimulator.start(clock, Timings.defaults());
  private final CloudFormationClient client = CloudFormationClient.builder()
      .region(Region.US_EAST_1)
      .endpointOverride(simulator.endpoint())
      .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASIMULATOR", "simulator")))
      .httpClient(UrlConnectionHttpClient.create())
      .build();

  @AfterEach
  void stop() {
    client.close();
    simulator.close();
  }

  @Test
  void errorCodesArriveAsTheSdksModeledExceptions() {
    assertThatThrownBy(() -> client.createChangeSet(r -> r.stackName("roles").changeSetName("create-1")
        .changeSetType(ChangeSetType.CREATE).templateBody(ROLE_TEMPLATE)))
        .isInstanceOfSatisfying(InsufficientCapabilitiesException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Requires capabilities : [CAPABILITY_IAM]");
          assertThat(e.requestId()).isNotBlank();
        });
    assertThatThrownBy(() -> client.describeChangeSet(r -> r.stackName("roles").changeSetName("create-1")))
        .isInstanceOfSatisfying(ChangeSetNotFoundException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  @Test
  void explicitlyEmptyListsAreAccepted() {
    client.createChangeSet(r -> r.stackName("roles").changeSetName("create-1").changeSetType(ChangeSetType.CREATE)
        .templateBody(ROLE_TEMPLATE).capabilitiesWithStrings("CAPABILITY_IAM").tags(List.of())
        .parameters(List.of()));

    assertThat(client.describeStacks(r -> r.stackName("roles")).stacks()).singleElement()
        .satisfies(stack -> assertThat(stack.stackStatusAsString()).isEqualTo("REVIEW_IN_PROGRESS"));
  }

  @Test
  void unsignedRequestsAndUnknownActionsAreRefused() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest.Builder post = HttpRequest.newBuilder(simulator.endpoint())
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");

    HttpResponse<String> unsigned = http.send(
        post.POST(HttpRequest.BodyPublishers.ofString("Action=DescribeStacks&Version=2010-05-15")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> unknown = http.send(post.header("Authorization", "AWS4-HMAC-SHA256 ...")
            .POST(HttpRequest.BodyPublishers.ofString("Action=CreateStack&Version=2010-05-15")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body()).contains("<Code>MissingAuthenticationToken</Code>");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("<Type>Sender</Type><Code>InvalidAction</Code>",
        "<Message>Could not find operation CreateStack for version 2010-05-15</Message>");
    assertThat(simulator.callCounts()).containsEntry("DescribeStacks", 1).containsEntry("CreateStack", 1);
  }

  @Test
  void callsBeyondTheAccountRateLimitAreThrottledUntilTheBucketRefills() {
    simulator.limitRate(2, 3);
    try (CloudFormationClient once = CloudFormationClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(simulator.endpoint())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASIMULATOR", "simulator")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
        .build()) {
      for (int i = 0; i < 3; i++) {
        assertThat(once.describeStacks().stacks()).isEmpty();
      }

      assertThatThrownBy(once::describeStacks).isInstanceOfSatisfying(CloudFormationException.class, e -> {
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
        assertThat(e.statusCode()).isEqualTo(400);
      });
      clock.advance(java.time.Duration.ofMillis(500));
      assertThat(once.describeStacks().stacks()).isEmpty();
      assertThatThrownBy(once::describeStacks).isInstanceOf(CloudFormationException.class);
    }

    assertThat(simulator.throttledByRateLimit()).isEqualTo(2);
    assertThat(simulator.calls("DescribeStacks")).isEqualTo(6);
  }
}
