package io.serverlessdata.operator.template;

import static io.serverlessdata.operator.template.TemplateJson.getAtt;
import static io.serverlessdata.operator.template.TemplateJson.json;
import static io.serverlessdata.operator.template.TemplateJson.ref;
import static io.serverlessdata.operator.template.TemplateJson.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertsTest {

  private final TemplateJson awsManaged = TemplateJson.of(TestSettings.defaults());
  private final TemplateJson customerManaged = TemplateJson.of(customerManagedSettings());

  private static TestSettings customerManagedSettings() {
    TestSettings settings = TestSettings.defaults();
    settings.topicEncryption = TopicEncryption.CustomerManaged;
    return settings;
  }

  @Test
  void alertsGoByEmailToTheAddressFromTheSpec() {
    JsonNode subscription = awsManaged.props("ErrorTopicEmailSubscription");

    assertThat(subscription.path("Protocol").asText()).isEqualTo("email");
    assertThat(subscription.path("Endpoint")).isEqualTo(ref("AlertEmail"));
    assertThat(subscription.path("TopicArn")).isEqualTo(ref("ErrorTopic"));
    assertThat(awsManaged.stack.parameters()).containsEntry("AlertEmail", "ops@example.com");
  }

  @Test
  void alarmWatchesTheFunctionsErrorsMetric() {
    JsonNode alarm = awsManaged.props("ProcessorErrorsAlarm");

    assertThat(alarm.path("Namespace").asText()).isEqualTo("AWS/Lambda");
    assertThat(alarm.path("MetricName").asText()).isEqualTo("Errors");
    assertThat(alarm.path("Dimensions")).isEqualTo(json(List.of(Map.of("Name", "FunctionName", "Value", ref("ProcessorFunction")))));
    assertThat(alarm.path("Threshold").asInt()).isEqualTo(1);
    assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
  }

  @Test
  void alarmCarriesTheEnvironmentTagLikeEveryTaggableResource() {
    for (TemplateJson template : List.of(awsManaged, customerManaged)) {
      assertThat(template.props("ProcessorErrorsAlarm").path("Tags"))
          .isEqualTo(json(List.of(Map.of("Key", "Environment", "Value", ref("Environment")))));
    }
  }

  @Test
  void awsManagedTopicKeyMeansTheAlarmHasNoAction() {
    assertThat(awsManaged.props("ErrorTopic").path("KmsMasterKeyId").asText()).isEqualTo("alias/aws/sns");
    assertThat(awsManaged.props("ProcessorErrorsAlarm").has("AlarmActions")).isFalse();
    assertThat(awsManaged.props("ProcessorErrorsAlarm").path("AlarmDescription").asText()).contains("AWS-managed");
    assertThat(awsManaged.idsOfType("AWS::KMS::Key")).isEmpty();
  }

  @Test
  void customerManagedKeyLetsCloudWatchPublishSoTheAlarmIsWired() {
    assertThat(customerManaged.props("ErrorTopic").path("KmsMasterKeyId")).isEqualTo(ref("AlertTopicKey"));
    assertThat(customerManaged.props("ProcessorErrorsAlarm").path("AlarmActions")).isEqualTo(json(List.of(ref("ErrorTopic"))));

    JsonNode key = customerManaged.props("AlertTopicKey");
    assertThat(key.path("EnableKeyRotation").asBoolean()).isTrue();
    JsonNode cloudWatch = customerManaged.statements("AlertTopicKey", "KeyPolicy").stream()
        .filter(s -> s.path("Sid").asText().equals("CloudWatchAlarmsUseKey")).findFirst().orElseThrow();
    assertThat(cloudWatch.path("Principal")).isEqualTo(json(Map.of("Service", "cloudwatch.amazonaws.com")));
    assertThat(texts(cloudWatch.path("Action"))).containsExactly("kms:Decrypt", "kms:GenerateDataKey");
    assertThat(cloudWatch.path("Condition").path("StringEquals").path("aws:SourceAccount")).isEqualTo(ref("AWS::AccountId"));

    JsonNode alarmPublishes = customerManaged.statements("ErrorTopicPolicy", "PolicyDocument").stream()
        .filter(s -> s.path("Sid").asText().equals("CloudWatchAlarmPublishes")).findFirst().orElseThrow();
    assertThat(alarmPublishes.path("Condition").path("ArnEquals").path("aws:SourceArn"))
        .isEqualTo(getAtt("ProcessorErrorsAlarm", "Arn"));
  }

  @Test
  void functionMayUseTheCustomerManagedKeyToPublish() {
    JsonNode encrypt = customerManaged.statements("ProcessorPolicy", "PolicyDocument").stream()
        .filter(s -> s.path("Sid").asText().equals("EncryptAlerts")).findFirst().orElseThrow();

    assertThat(texts(encrypt.path("Action"))).containsExactly("kms:Decrypt", "kms:GenerateDataKey");
    assertThat(encrypt.path("Resource")).isEqualTo(json(List.of(getAtt("AlertTopicKey", "Arn"))));
  }

  @Test
  void keyPolicyListsItsAdministrativeActionsInsteadOfAWildcard() {
    for (JsonNode statement : customerManaged.statements("AlertTopicKey", "KeyPolicy")) {
      assertThat(texts(statement.path("Action"))).noneMatch(action -> action.contains("*"));
    }
  }

  @Test
  void topicRefusesPublishingWithoutTls() {
    JsonNode deny = awsManaged.statements("ErrorTopicPolicy", "PolicyDocument").get(0);

    assertThat(deny.path("Effect").asText()).isEqualTo("Deny");
    assertThat(texts(deny.path("Action"))).containsExactly("sns:Publish");
    assertThat(deny.path("Condition")).isEqualTo(json(Map.of("Bool", Map.of("aws:SecureTransport", "false"))));
  }
}
