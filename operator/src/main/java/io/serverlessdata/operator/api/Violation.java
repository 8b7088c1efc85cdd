package io.serverlessdata.operator.api;

/**
 * One broken rule of the spec.
 *
 * @param field path of the field, e.g. {@code spec.dynamoDbReadCapacity}
 * @param message what is wrong and what is allowed
 */
public record Violation(String field, String message) {

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
