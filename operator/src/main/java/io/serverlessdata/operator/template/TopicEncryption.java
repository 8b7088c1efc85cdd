package io.serverlessdata.operator.template;

/** The KMS key that encrypts the alert topic. */
public enum TopicEncryption {
  /**
   * The AWS-managed {@code alias/aws/sns} key. CloudWatch alarms cannot publish to a topic under this key,
   * so the error alarm has no action in this mode; only the function's own alerts reach the topic.
   */
  AwsManaged,
  /** A customer-managed key rendered with the stack, whose policy lets CloudWatch alarms publish. */
  CustomerManaged
}
