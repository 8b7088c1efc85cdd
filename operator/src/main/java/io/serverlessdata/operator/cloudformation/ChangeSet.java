package io.serverlessdata.operator.cloudformation;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A change set as DescribeChangeSet reports it, with the state the operator acts on.
 *
 * @param stackName the stack's name
 * @param stackId the stack's id
 * @param name the change set's name
 * @param id the change set's id (ARN)
 * @param status {@code CREATE_PENDING}, {@code CREATE_IN_PROGRESS}, {@code CREATE_COMPLETE} or {@code FAILED}
 * @param statusReason why it failed, when it did
 * @param executionStatus {@code UNAVAILABLE}, {@code AVAILABLE}, {@code EXECUTE_IN_PROGRESS},
 *     {@code EXECUTE_COMPLETE}, {@code EXECUTE_FAILED} or {@code OBSOLETE}
 * @param changes the planned resource changes
 * @param tags the stack tags it applies (a stack under review shows none of its own: its change set has them)
 * @param creationTime when CloudFormation created it (unknown until it is described)
 */
public record ChangeSet(
    String stackName,
    String stackId,
    String name,
    String id,
    String status,
    Optional<String> statusReason,
    String executionStatus,
    List<Change> changes,
    Map<String, String> tags,
    Optional<Instant> creationTime) {

  /** How CloudFormation says that a change set would change nothing. */
  private static final List<String> NO_CHANGE_REASONS = List.of(
      "the submitted information didn't contain changes", "no updates are to be performed");

  public ChangeSet {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(statusReason, "statusReason");
    Objects.requireNonNull(executionStatus, "executionStatus");
    changes = List.copyOf(changes);
    tags = Map.copyOf(tags);
    Objects.requireNonNull(creationTime, "creationTime");
  }

  /** A change set whose tags and creation time are not known (just created). */
  public ChangeSet(String stackName, String stackId, String name, String id, String status,
      Optional<String> statusReason, String executionStatus, List<Change> changes) {
    this(stackName, stackId, name, id, status, statusReason, executionStatus, changes, Map.of(), Optional.empty());
  }

  /** CloudFormation's change-set status once the change set was deleted. */
  public static final String DELETED = "DELETE_COMPLETE";
  public static final String EXECUTE_IN_PROGRESS = "EXECUTE_IN_PROGRESS";
  public static final String EXECUTE_COMPLETE = "EXECUTE_COMPLETE";
  public static final String EXECUTE_FAILED = "EXECUTE_FAILED";

  /** Where the change set stands, as far as the operator is concerned. */
  public State state() {
    return state(status, statusReason, executionStatus);
  }

  /** Where a change set of this status, reason and execution status stands (also one the status recorded). */
  public static State state(String status, Optional<String> statusReason, String executionStatus) {
    return switch (Objects.requireNonNullElse(status, "")) {
      case "CREATE_PENDING", "CREATE_IN_PROGRESS" -> State.PENDING;
      case "FAILED" -> noChanges(statusReason) ? State.NO_CHANGES : State.FAILED;
      case "DELETE_PENDING", "DELETE_IN_PROGRESS", DELETED -> State.DISCARDED;
      case "CREATE_COMPLETE" -> switch (Objects.requireNonNullElse(executionStatus, "")) {
        case "AVAILABLE" -> State.READY;
        case EXECUTE_IN_PROGRESS -> State.EXECUTING;
        case EXECUTE_COMPLETE -> State.EXECUTED;
        case EXECUTE_FAILED -> State.EXECUTION_FAILED;
        default -> State.UNAVAILABLE;
      };
      default -> State.UNAVAILABLE;
    };
  }

  /** The change set failed only because the stack already is what it describes. */
  public boolean noChanges() {
    return "FAILED".equals(status) && noChanges(statusReason);
  }

  private static boolean noChanges(Optional<String> statusReason) {
    return statusReason
        .map(reason -> reason.toLowerCase(Locale.ROOT))
        .filter(reason -> NO_CHANGE_REASONS.stream().anyMatch(reason::contains))
        .isPresent();
  }

  /** Where a change set stands. */
  public enum State {
    /** CloudFormation is still computing the changes. */
    PENDING,
    /** Computed and executable. */
    READY,
    /** Failed because there is nothing to change: the stack is in sync. */
    NO_CHANGES,
    /** Could not be computed; the status reason says why. */
    FAILED,
    /** Being executed: the stack is moving. */
    EXECUTING,
    /** Executed successfully. */
    EXECUTED,
    /** Executed, and the stack rolled back. */
    EXECUTION_FAILED,
    /** Computed but not executable (obsolete, or the stack is busy). */
    UNAVAILABLE,
    /** Deleted (by the operator: it changed nothing, or a newer plan replaced it). */
    DISCARDED;

    /** The change set was executed, successfully or not: the stack's operation followed. */
    public boolean executed() {
      return this == EXECUTING || this == EXECUTED || this == EXECUTION_FAILED;
    }
  }
}
