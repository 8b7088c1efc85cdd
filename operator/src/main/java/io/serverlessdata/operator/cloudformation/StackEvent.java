package io.serverlessdata.operator.cloudformation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stack event, as DescribeStackEvents reports it.
 *
 * @param timestamp when it happened
 * @param logicalId the resource's logical id (the stack's name for the stack itself)
 * @param resourceType e.g. {@code AWS::DynamoDB::Table}
 * @param status e.g. {@code CREATE_FAILED}
 * @param reason CloudFormation's explanation, when it gives one
 */
public record StackEvent(Instant timestamp, String logicalId, String resourceType, String status, Optional<String> reason) {

  public StackEvent {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(logicalId, "logicalId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }

  public boolean failed() {
    return status.endsWith("_FAILED");
  }
}
