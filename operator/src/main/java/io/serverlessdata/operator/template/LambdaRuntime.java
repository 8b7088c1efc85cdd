package io.serverlessdata.operator.template;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The Node.js runtimes the stack's function may run on, with AWS's deprecation schedule.
 *
 * <p>The dates are AWS's, from the runtime table of the AWS Lambda Developer Guide page "Lambda runtimes"
 * ({@value #RUNTIMES_PAGE}), checked on 2026-12-01. AWS moved the block dates of {@code nodejs20.x} twice during
 * 2026 while the deprecation date stayed 2026-04-30: announced (November 2025) as create blocked from 2026-06-01 and
 * update from 2026-07-01; then 2026-08-31 and 2026-09-30 (the Developer Guide's Node.js page in spring 2026); and
 * by 2026-06-02 2027-02-01 and 2027-03-03 (the runtimes page as quoted in aws-cloudformation/cfn-lint#4531, whose
 * lifecycle data was corrected to match). No later change was found on 2026-12-01. Check the page again before
 * relying on a date here.
 *
 * <p>{@code nodejs20.x} stays selectable so that existing stacks keep working; the operator reports an advisory
 * condition with these dates ({@link #deprecationNotice(LocalDate)}) and refuses it for a stack that does not exist
 * yet once creating functions on it is blocked ({@link #refusalForNewStack(LocalDate)}). {@code nodejs22.x} is
 * scheduled for deprecation on 2027-04-30 (create blocked 2027-06-01, update 2027-07-01); it is not deprecated
 * yet and carries no dates here until it is.
 */
public enum LambdaRuntime {
  NODEJS_20("nodejs20.x", LocalDate.of(2026, 4, 30), LocalDate.of(2027, 2, 1), LocalDate.of(2027, 3, 3)),
  NODEJS_22("nodejs22.x", null, null, null),
  NODEJS_24("nodejs24.x", null, null, null);

  public static final LambdaRuntime DEFAULT = NODEJS_24;

  /** Where AWS publishes the dates. */
  public static final String RUNTIMES_PAGE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html";

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

  /** The day AWS deprecated the runtime (no more patches or support); empty for a supported one. */
  public Optional<LocalDate> deprecatedOn() {
    return Optional.ofNullable(deprecatedOn);
  }

  /** The first day Lambda refuses to create functions on the runtime; empty when no date is published. */
  public Optional<LocalDate> createBlockedOn() {
    return Optional.ofNullable(createBlockedOn);
  }

  /** The first day Lambda refuses to update functions on the runtime; empty when no date is published. */
  public Optional<LocalDate> updateBlockedOn() {
    return Optional.ofNullable(updateBlockedOn);
  }

  /** Whether Lambda refuses to create a function on this runtime on the given day. */
  public boolean createBlocked(LocalDate today) {
    Objects.requireNonNull(today, "today");
    return createBlockedOn != null && !today.isBefore(createBlockedOn);
  }

  /** Whether Lambda refuses to update a function on this runtime on the given day. */
  public boolean updateBlocked(LocalDate today) {
    Objects.requireNonNull(today, "today");
    return updateBlockedOn != null && !today.isBefore(updateBlockedOn);
  }

  /**
   * Why a stack that does not exist yet cannot be created on this runtime: present from the day Lambda blocks
   * creating functions on it (the stack's create would fail on the function and roll back), naming the runtime to
   * use instead. Empty while creating is still allowed, and always for a supported runtime. A stack that exists
   * already keeps its runtime; it gets {@link #deprecationNotice(LocalDate)} as an advisory instead.
   */
  public Optional<String> refusalForNewStack(LocalDate today) {
    if (!createBlocked(today)) {
      return Optional.empty();
    }
    return Optional.of(String.format(
        "spec.lambda.runtime %s cannot be used for a new stack: AWS Lambda blocks creating functions on it since %s"
            + " (deprecated since %s, see %s); set spec.lambda.runtime to %s",
        id, createBlockedOn, deprecatedOn, RUNTIMES_PAGE, DEFAULT.id));
  }

  /**
   * The advisory for a stack on a deprecated runtime, with AWS's dates in the tense the given day calls for; empty
   * for a supported runtime.
   */
  public Optional<String> deprecationNotice(LocalDate today) {
    if (!deprecated()) {
      return Optional.empty();
    }
    String create = createBlocked(today) ? "has been blocked since" : "is blocked from";
    String update = updateBlocked(today) ? "have been blocked since" : "from";
    return Optional.of(String.format(
        "runtime %s is deprecated on AWS Lambda since %s: creating functions on it %s %s and updates %s %s"
            + " (AWS's dates, which it has moved before: %s); move spec.lambda.runtime to %s",
        id, deprecatedOn, create, createBlockedOn, update, updateBlockedOn, RUNTIMES_PAGE, DEFAULT.id));
  }

  /** A sentence for users of a deprecated runtime, without reference to today's date; empty for a supported one. */
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
