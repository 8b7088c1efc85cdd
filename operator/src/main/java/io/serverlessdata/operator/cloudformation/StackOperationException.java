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

  private final String errorCode;

  StackOperationException(String errorCode, String message, Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
  }

  /** AWS's error code (e.g. {@code ValidationError}), or {@code ClientError} when no answer arrived. */
  public String errorCode() {
    return errorCode;
  }

  /** Whether the same request may succeed later without anything changing on the operator's side. */
  public abstract boolean retryable();
}
