package io.serverlessdata.operator.cloudformation;

/**
 * A stack operation that did not succeed, in the operator's terms. The subtype says what to do about it:
 * back off and retry ({@link TransientStackOperationException}), report and wait for a different request
 * ({@link RejectedStackOperationException}), or act on the absence ({@link StackNotFoundException},
 * {@link ChangeSetNotFoundException}).
 */
public abstract sealed class StackOperationException extends RuntimeException
    permits TransientStackOperationException, RejectedStackOperationException, StackNotFoundException,
        ChangeSetNotFoundException {

  private final String operation;
  private final String errorCode;

  StackOperationException(String operation, String errorCode, String message, Throwable cause) {
    super(message, cause);
    this.operation = operation;
    this.errorCode = errorCode;
  }

  /** The AWS operation that failed, e.g. {@code CreateChangeSet}. */
  public String operation() {
    return operation;
  }

  /** AWS's error code (e.g. {@code ValidationError}), or {@code ClientError} when no answer arrived. */
  public String errorCode() {
    return errorCode;
  }

  /** What a person reads: the operation and AWS's own message, e.g. {@code CreateChangeSet: Rate exceeded}. */
  public String describe() {
    return operation + ": " + getMessage();
  }

  /** Whether the same request may succeed later without anything changing on the operator's side. */
  public abstract boolean retryable();
}
