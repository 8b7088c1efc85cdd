package io.serverlessdata.operator.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serverlessdata.operator.cloudformation.PlanRequest.Type;
import io.serverlessdata.simulator.CloudFormationSimulator;
import io.serverlessdata.simulator.ManualClock;
import io.serverlessdata.simulator.Timings;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The real AWS SDK API Gateway client, through the adapter, against the simulator's GetApiKey over HTTP. */
class AwsApiKeysTest {

  private static final String STACK = "team-a-orders";
  private static final int ATTEMPTS = 3;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T08:00:00Z"));
  private final Timings timings = Timings.defaults();
  private CloudFormationSimulator simulator;
  private AwsStackOperations cloudFormation;
  private AwsApiKeys apiKeys;

  @BeforeEach
  void start() {
    simulator = CloudFormationSimulator.start(clock, timings);
    ClientSettings settings = ClientSettings.defaults(Optional.of(simulator.endpoint()))
        .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASIMULATOR", "simulator")))
        .withRetries(ATTEMPTS, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5));
    cloudFormation = AwsStackOperations.create(settings);
    apiKeys = AwsApiKeys.create(settings);
  }

  @AfterEach
  void stop() {
    apiKeys.close();
    cloudFormation.close();
    simulator.close();
  }

  @Test
  void readsTheValueOfTheStacksKey() {
    String keyId = createdStack().outputs().get("ApiKeyId");

    String value = apiKeys.value(keyId);

    assertThat(value).matches("[A-Za-z0-9]{40}").isEqualTo(simulator.apiKeyValue(keyId).orElseThrow());
    assertThat(simulator.calls("GetApiKey")).isEqualTo(1);
  }

  @Test
  void replacedKeyHasANewIdAndValueAndTheOldOneIsGone() {
    String oldId = createdStack().outputs().get("ApiKeyId");
    String oldValue = apiKeys.value(oldId);

    simulator.rotateApiKey(STACK);

    String newId = cloudFormation.describe(STACK).orElseThrow().outputs().get("ApiKeyId");
    assertThat(newId).isNotEqualTo(oldId);
    assertThat(apiKeys.value(newId)).isNotEqualTo(oldValue);
    assertThatThrownBy(() -> apiKeys.value(oldId)).isInstanceOf(RejectedStackOperationException.class);
  }

  @Test
  void unknownKeyIsRejectedAsNotFound() {
    createdStack();

    assertThatThrownBy(() -> apiKeys.value("nosuchkey1"))
        .isInstanceOfSatisfying(RejectedStackOperationException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("NotFoundException");
          assertThat(e.getMessage()).contains("Invalid API Key identifier");
          assertThat(e.retryable()).isFalse();
        });
  }

  @Test
  void throttlingIsRetriedBySdk() {
    String keyId = createdStack().outputs().get("ApiKeyId");
    simulator.resetCalls();
    simulator.throttleNext(ATTEMPTS - 1);

    assertThat(apiKeys.value(keyId)).isEqualTo(simulator.apiKeyValue(keyId).orElseThrow());
    assertThat(simulator.calls("GetApiKey")).isEqualTo(ATTEMPTS);
  }

  @Test
  void throttlingBeyondTheRetriesIsTransient() {
    String keyId = createdStack().outputs().get("ApiKeyId");
    simulator.throttleNext(ATTEMPTS);

    assertThatThrownBy(() -> apiKeys.value(keyId))
        .isInstanceOfSatisfying(TransientStackOperationException.class,
            e -> assertThat(e.errorCode()).isEqualTo("TooManyRequestsException"));
  }

  @Test
  void serverErrorsBeyondTheRetriesAreTransient() {
    String keyId = createdStack().outputs().get("ApiKeyId");
    simulator.failNext(ATTEMPTS);

    assertThatThrownBy(() -> apiKeys.value(keyId)).isInstanceOf(TransientStackOperationException.class);
  }

  @Test
  void keyOfADeletedStackIsNotFound() {
    String keyId = createdStack().outputs().get("ApiKeyId");

    simulator.deleteOutOfBand(STACK);

    assertThatThrownBy(() -> apiKeys.value(keyId)).isInstanceOf(RejectedStackOperationException.class);
    assertThat(simulator.apiKeyValue(keyId)).isEmpty();
  }

  @Test
  void withoutAnApiGatewayClientReadsAreRefusedWithAMessage() {
    assertThatThrownBy(() -> ApiKeys.NONE.value("abc"))
        .isInstanceOfSatisfying(RejectedStackOperationException.class,
            e -> assertThat(e.errorCode()).isEqualTo("ApiGatewayNotConfigured"));
  }

  private Stack createdStack() {
    cloudFormation.plan(PlanRequest.of(STACK, "create-1", Type.CREATE, Optional.empty(), TestStacks.rendered()));
    clock.advance(timings.changeSet());
    cloudFormation.execute(STACK, "create-1");
    clock.advance(timings.create());
    Stack stack = cloudFormation.describe(STACK).orElseThrow();
    assertThat(stack.status().name()).isEqualTo("CREATE_COMPLETE");
    return stack;
  }
}
