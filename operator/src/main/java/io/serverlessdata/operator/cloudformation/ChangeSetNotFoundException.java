package io.serverlessdata.operator.cloudformation;

/** The change set does not exist: never created, deleted, or gone with its stack. */
public final class ChangeSetNotFoundException extends StackOperationException {

  ChangeSetNotFoundException(String operation, String errorCode, String message, Throwable cause) {
    super(operation, errorCode, message, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
