package io.serverlessdata.operator.template;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;

/**
 * The Node.js runtimes the stack's function may run on, with AWS's deprecation schedule.
 *
 * <p>{@code nodejs20.x} is deprecated on Lambda since 2026-04-30: creating functions on it is blocked
 * from 2027-02-01 and updating them from 2027-03-03. It stays selectable so that existing stacks keep
 * working, and the operator reports an advisory condition with these dates.
 */
public enum LambdaRuntime {
  NODEJS_20("nodejs20.x", LocalDate.of(2026, 4, 30), LocalDate.of(2027, 2, 1), LocalDate.of(2027, 3, 3)),
  NODEJS_22("nodejs22.x", null, null, null),
  NODEJS_24("nodejs24.x", null, null, null);

  public static final LambdaRuntime DEFAULT = NODEJS_24;

  private final String id;
  private final LocalDate deprecatedOn;
  private final LocalDate createBlockedOn;
  private final LocalDate updateBlockedOn;

  LambdaRuntime(String id, LocalDate deprecatedOn, LocalDate createBlockedOn, LocalDate updateBlockedOn) {
    this.id = id;
    this.deprecatedOn = deprecatedOn;
    this.createBlockedOn = createBlockedOn;
    this.updateBlockedOn = updateBlockedOn;
  }

  /** The identifier Lambda uses, e.g. {@code nodejs24.x}. */
  @JsonValue
  public String id() {
    return id;
  }

  public boolean deprecated() {
    return deprecatedOn != null;
  }

  /** A sentence for users of a deprecated runtime; empty for a supported one. */
  public Optional<String> deprecationNotice() {
    if (!deprecated()) {
      return Optional.empty();
    }
    return Optional.of(String.format(
        "runtime %s is deprecated on AWS Lambda since %s: creating functions on it is blocked from %s"
            + " and updating them from %s; move spec.lambda.runtime to %s",
        id, deprecatedOn, createBlockedOn, updateBlockedOn, DEFAULT.id));
  }

  public static Optional<LambdaRuntime> fromId(String id) {
    return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
  }

  @Override
  public String toString() {
    return id;
  }
}
