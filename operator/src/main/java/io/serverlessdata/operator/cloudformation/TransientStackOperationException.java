package io.serverlessdata.operator.cloudformation;

/**
 * CloudFormation could not answer now: throttling, a server error, a timeout or a broken connection, still
 * failing after the SDK's own retries. Back off and try again; never a reason to give up on a resource.
 */
public final class TransientStackOperationException extends StackOperationException {

  TransientStackOperationException(String operation, String errorCode, String message, Throwable cause) {
    super(operation, errorCode, message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
