package io.serverlessdata.operator.cloudformation;

/**
 * CloudFormation refused the request: a validation error (a template or parameter it does not accept, a
 * stack in a status that does not allow the operation), missing capabilities, or access denied. The message
 * is AWS's own; sending the same request again gets the same answer.
 */
public final class RejectedStackOperationException extends StackOperationException {

  RejectedStackOperationException(String operation, String errorCode, String message, Throwable cause) {
    super(operation, errorCode, message, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
