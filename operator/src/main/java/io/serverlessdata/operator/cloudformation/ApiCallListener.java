package io.serverlessdata.operator.cloudformation;

/**
 * Told about every CloudFormation API call the adapter makes, once per call (the SDK's retries included), so the
 * application can count them without this package knowing how.
 */
@FunctionalInterface
public interface ApiCallListener {

  /**
   * @param operation the API operation, e.g. {@code DescribeStacks}
   * @param outcome {@link ApiCallOutcome} of the call after the SDK's retries
   */
  void completed(String operation, ApiCallOutcome outcome);
}
