package io.serverlessdata.simulator;

/** An error the simulated CloudFormation answers with, as AWS would: code, message and HTTP status. */
final class SimulatorException extends RuntimeException {

  private final String code;
  private final int httpStatus;

  SimulatorException(String code, int httpStatus, String message) {
    super(message);
    this.code = code;
    this.httpStatus = httpStatus;
  }

  /** {@code ValidationError}, 400: what CloudFormation answers to most requests it does not accept. */
  static SimulatorException validation(String message) {
    return new SimulatorException("ValidationError", 400, message);
  }

  String code() {
    return code;
  }

  int httpStatus() {
    return httpStatus;
  }

  /** {@code Sender} for the caller's errors (4xx), {@code Receiver} for the service's (5xx). */
  String type() {
    return httpStatus >= 500 ? "Receiver" : "Sender";
  }
}
