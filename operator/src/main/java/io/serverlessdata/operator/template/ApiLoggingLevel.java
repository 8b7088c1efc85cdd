package io.serverlessdata.operator.template;

/**
 * How much the API stage writes to its execution log (CloudWatch Logs group
 * {@code API-Gateway-Execution-Logs_<api-id>/prod}, written through the account's API Gateway CloudWatch role).
 * Request and response bodies never reach it: the stage renders {@code DataTraceEnabled: false} at either level.
 */
public enum ApiLoggingLevel {
  /** Only requests that fail (4xx and 5xx), with the reason. */
  ERROR,
  /** Every request: also the steps of successful ones (authorisation, integration latency, status). */
  INFO
}
