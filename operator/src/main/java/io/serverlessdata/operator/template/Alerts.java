package io.serverlessdata.operator.template;

import static io.serverlessdata.operator.template.cfn.ResourceTypes.CLOUDWATCH_ALARM;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.KMS_ALIAS;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.KMS_KEY;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.SNS_SUBSCRIPTION;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.SNS_TOPIC;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.SNS_TOPIC_POLICY;

import io.serverlessdata.operator.template.cfn.Fn;
import io.serverlessdata.operator.template.cfn.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who hears about failures: the alert topic with its e-mail subscription, and a CloudWatch alarm on the
 * function's {@code Errors} metric (which also counts timeouts and crashes).
 *
 * <p>CloudWatch cannot publish to a topic encrypted with the AWS-managed {@code alias/aws/sns} key, so the
 * alarm's action is wired only when the topic has its own customer-managed key.
 */
final class Alerts {

  /** Key administration by the account (the key policy's {@code Resource} is always the key itself). */
  private static final List<String> KEY_ADMIN_ACTIONS = List.of(
      "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey",
      "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion",
      "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription");
  /** What a publisher to an encrypted topic needs of its key. */
  static final List<String> KEY_USE_ACTIONS = List.of("kms:Decrypt", "kms:GenerateDataKey");

  final Resource topic;
  final Optional<Resource> key;
  private final StackParameters p;
  private final List<Resource> resources = new ArrayList<>();

  Alerts(StackParameters p, StackSettings settings) {
    this.p = p;
    key = settings.topicEncryption() == TopicEncryption.CustomerManaged ? Optional.of(customerKey()) : Optional.empty();
    topic = new Resource("ErrorTopic", SNS_TOPIC)
        .set("TopicName", Fn.sub("${Prefix}-lambda-errors", "Prefix", p.prefix))
        .set("DisplayName", Fn.sub("${Prefix} processing errors", "Prefix", p.prefix))
        .set("KmsMasterKeyId", key.<Object>map(Resource::ref).orElse("alias/aws/sns"));
    Resource subscription = new Resource("ErrorTopicEmailSubscription", SNS_SUBSCRIPTION)
        .set("TopicArn", topic.ref())
        .set("Protocol", "email")
        .set("Endpoint", p.alertEmail.ref());
    resources.add(topic);
    resources.add(subscription);
  }

  /** Adds the alarm on the function's errors and the topic's policy; returns the alarm. */
  Resource alarmOnErrors(Resource function) {
    boolean wired = key.isPresent();
    Resource alarm = new Resource("ProcessorErrorsAlarm", CLOUDWATCH_ALARM)
        .set("AlarmName", Fn.sub("${Prefix}-processor-errors", "Prefix", p.prefix))
        .set("AlarmDescription", wired
            ? "The processor function failed (errors, timeouts or crashes); notifies the alert topic"
            : "The processor function failed (errors, timeouts or crashes). No action: CloudWatch cannot"
                + " publish to a topic under the AWS-managed SNS key (spec.alerts.topicEncryption: AwsManaged)")
        .set("Namespace", "AWS/Lambda")
        .set("MetricName", "Errors")
        .set("Dimensions", List.of(Map.of("Name", "FunctionName", "Value", function.ref())))
        .set("Statistic", "Sum")
        .set("Period", 60)
        .set("EvaluationPeriods", 1)
        .set("Threshold", 1)
        .set("ComparisonOperator", "GreaterThanOrEqualToThreshold")
        .set("TreatMissingData", "notBreaching")
        .set("AlarmActions", wired ? List.of(topic.ref()) : null);
    resources.add(alarm);
    resources.add(topicPolicy(wired ? Optional.of(alarm) : Optional.empty()));
    return alarm;
  }

  List<Resource> resources() {
    return List.copyOf(resources);
  }

  private Resource topicPolicy(Optional<Resource> publishingAlarm) {
    List<Map<String, Object>> statements = new ArrayList<>();
    statements.add(Iam.denyInsecureTransport(List.of("sns:Publish"), List.of(topic.ref())));
    publishingAlarm.ifPresent(alarm -> statements.add(Iam.statement(
        "CloudWatchAlarmPublishes", "Allow", Iam.service("cloudwatch.amazonaws.com"),
        List.of("sns:Publish"), List.of(topic.ref()),
        Map.of("ArnEquals", Map.of("aws:SourceArn", alarm.getAtt("Arn")),
            "StringEquals", Map.of("aws:SourceAccount", Fn.ref(Fn.Pseudo.ACCOUNT_ID))))));
    return new Resource("ErrorTopicPolicy", SNS_TOPIC_POLICY)
        .set("Topics", List.of(topic.ref()))
        .set("PolicyDocument", Iam.document(statements));
  }

  private Resource customerKey() {
    Object account = Fn.ref(Fn.Pseudo.ACCOUNT_ID);
    Map<String, Object> root = Map.of("AWS", Fn.sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root"));
    Resource kmsKey = new Resource("AlertTopicKey", KMS_KEY)
        .set("Description", Fn.sub("Encrypts the ${Prefix} alert topic", "Prefix", p.prefix))
        .set("EnableKeyRotation", true)
        .set("KeyPolicy", Iam.document(List.of(
            Iam.statement("AccountAdministersKey", "Allow", root, KEY_ADMIN_ACTIONS, List.of("*"), null),
            // lets IAM policies in this account grant use of the key through SNS (the function's policy does)
            Iam.statement("AccountUsesKeyThroughSns", "Allow", root, KEY_USE_ACTIONS, List.of("*"),
                Map.of("StringEquals", Map.of("kms:ViaService", Fn.sub("sns.${AWS::Region}.amazonaws.com")))),
            Iam.statement("CloudWatchAlarmsUseKey", "Allow", Iam.service("cloudwatch.amazonaws.com"),
                KEY_USE_ACTIONS, List.of("*"), Map.of("StringEquals", Map.of("aws:SourceAccount", account))))));
    Resource alias = new Resource("AlertTopicKeyAlias", KMS_ALIAS)
        .set("AliasName", Fn.sub("alias/${Prefix}-alerts", "Prefix", p.prefix))
        .set("TargetKeyId", kmsKey.ref());
    resources.add(kmsKey);
    resources.add(alias);
    return kmsKey;
  }
}
