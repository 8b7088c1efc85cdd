package io.serverlessdata.operator.cloudformation;

import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where AWS SDK errors become {@link StackOperationException}s. Nothing is swallowed: every
 * SDK error becomes exactly one of the operator's types, with AWS's code and message.
 */
final class AwsErrors {

  static final String CLIENT_ERROR = "ClientError";

  /** Rate limiting, by any of the codes AWS services use for it. */
  private static final Set<String> THROTTLING = Set.of(
      "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
      "RequestLimitExceeded", "TooManyRequestsException", "SlowDown", "PriorRequestNotComplete",
      "BandwidthLimitExceeded");

  /**
   * Conditions that clear up by themselves: server faults, expired request signatures or session tokens
   * (the credentials provider renews them), another operation on the stack still running, and quotas
   * ({@code LimitExceededException}: stacks or change sets per account/stack) that free up as others finish.
   */
  private static final Set<String> TRANSIENT = Set.of(
      "InternalFailure", "InternalError", "ServiceUnavailable", "RequestTimeout", "RequestTimeoutException",
      "RequestExpired", "ExpiredToken", "ExpiredTokenException", "IDPCommunicationError",
      "OperationInProgressException", "ConcurrentResourcesLimitExceeded", "LimitExceededException");

  /** "Stack with id X does not exist" (DescribeStacks) or "Stack [X] does not exist" (most other calls). */
  private static final Pattern STACK_MISSING = Pattern.compile("Stack (with id )?\\[?.+?]? does not exist");

  private AwsErrors() {}

  static StackOperationException translate(String operation, SdkException error) {
    if (error instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      AwsErrorDetails details = service.awsErrorDetails();
      String code = details.errorCode() == null ? "Unknown" : details.errorCode();
      String message = details.errorMessage() == null ? service.getMessage() : details.errorMessage();
      if ("ChangeSetNotFound".equals(code)) {
        return new ChangeSetNotFoundException(operation, code, message, error);
      }
      if ("ValidationError".equals(code) && STACK_MISSING.matcher(message).matches()) {
        return new StackNotFoundException(operation, code, message, error);
      }
      if (THROTTLING.contains(code) || TRANSIENT.contains(code) || service.isThrottlingException()
          || service.statusCode() >= 500) {
        return new TransientStackOperationException(operation, code, message, error);
      }
      return new RejectedStackOperationException(operation, code, message, error);
    }
    // no answer from AWS: I/O error, timeout, credentials that could not be loaded right now
    return new TransientStackOperationException(operation, CLIENT_ERROR, error.getMessage(), error);
  }
}
