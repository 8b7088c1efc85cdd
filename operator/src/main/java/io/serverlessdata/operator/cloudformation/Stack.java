package io.serverlessdata.operator.cloudformation;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A CloudFormation stack as DescribeStacks reports it.
 *
 * @param name the stack's name
 * @param id the stack's id, an ARN that stays unique after the stack is deleted
 * @param status as CloudFormation reports it, e.g. {@code CREATE_COMPLETE}
 * @param statusReason why the stack is in that status, when CloudFormation says
 * @param outputs output key to value, sorted
 * @param tags stack tags, sorted
 * @param terminationProtection whether DeleteStack is refused
 * @param creationTime when the stack was created
 * @param lastUpdatedTime when it was last updated, if ever
 */
public record Stack(
    String name,
    String id,
    String status,
    Optional<String> statusReason,
    Map<String, String> outputs,
    Map<String, String> tags,
    boolean terminationProtection,
    Instant creationTime,
    Optional<Instant> lastUpdatedTime) {

  public static final String REVIEW_IN_PROGRESS = "REVIEW_IN_PROGRESS";
  public static final String DELETE_COMPLETE = "DELETE_COMPLETE";

  public Stack {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(statusReason, "statusReason");
    Objects.requireNonNull(lastUpdatedTime, "lastUpdatedTime");
    outputs = Collections.unmodifiableMap(new TreeMap<>(outputs));
    tags = Collections.unmodifiableMap(new TreeMap<>(tags));
  }

  /** CloudFormation is working on the stack ({@code *_IN_PROGRESS}); waiting for a CREATE change set is not work. */
  public boolean inProgress() {
    return status.endsWith("_IN_PROGRESS") && !awaitingCreate();
  }

  /** {@code REVIEW_IN_PROGRESS}: the stack exists only to hold a CREATE change set that was not executed yet. */
  public boolean awaitingCreate() {
    return REVIEW_IN_PROGRESS.equals(status);
  }

  /** Nothing is moving: the status ends in {@code _COMPLETE} or {@code _FAILED}. */
  public boolean stable() {
    return !status.endsWith("_IN_PROGRESS");
  }

  /** The stack is gone (only found by its id). */
  public boolean deleted() {
    return DELETE_COMPLETE.equals(status);
  }
}
