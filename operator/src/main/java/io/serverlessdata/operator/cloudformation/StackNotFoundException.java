package io.serverlessdata.operator.cloudformation;

/** The stack does not exist (or was deleted). */
public final class StackNotFoundException extends StackOperationException {

  StackNotFoundException(String operation, String errorCode, String message, Throwable cause) {
    super(operation, errorCode, message, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
