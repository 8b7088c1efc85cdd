package io.serverlessdata.operator.cloudformation;

/** The port's exceptions as the adapters raise them, for tests of the packages that handle them. */
public final class TestFaults {

  private TestFaults() {}

  /** What the adapters raise once the SDK's retries of throttling are used up. */
  public static TransientStackOperationException throttled() {
    return new TransientStackOperationException("DescribeStacks", "TooManyRequestsException", "Too Many Requests", null);
  }
}
