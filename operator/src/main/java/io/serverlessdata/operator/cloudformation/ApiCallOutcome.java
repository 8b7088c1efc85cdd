package io.serverlessdata.operator.cloudformation;

import java.util.Locale;

/** How a CloudFormation API call ended, in a small closed set fit for a metric label. */
public enum ApiCallOutcome {
  /** The call succeeded. */
  SUCCESS,
  /** CloudFormation throttled the call (after the SDK's own retries). */
  THROTTLED,
  /** CloudFormation refused the request (4xx other than throttling, not found included). */
  CLIENT_ERROR,
  /** CloudFormation failed (5xx). */
  SERVER_ERROR,
  /** No answer: connection failure, timeout, interrupted. */
  NETWORK_ERROR;

  /** The label value, e.g. {@code client_error}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
