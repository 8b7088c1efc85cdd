package io.serverlessdata.operator.cloudformation;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A stack's status as CloudFormation reports it ({@code CREATE_COMPLETE}, ...), with the questions the operator asks
 * of it. A status CloudFormation adds later is kept as it is and answers every question conservatively (not
 * complete, not failed, moving only if it ends in {@code _IN_PROGRESS}).
 *
 * @param name CloudFormation's name of the status
 */
public record StackStatus(String name) {

  public static final StackStatus CREATE_IN_PROGRESS = new StackStatus("CREATE_IN_PROGRESS");
  public static final StackStatus CREATE_COMPLETE = new StackStatus("CREATE_COMPLETE");
  public static final StackStatus CREATE_FAILED = new StackStatus("CREATE_FAILED");
  public static final StackStatus ROLLBACK_COMPLETE = new StackStatus("ROLLBACK_COMPLETE");
  public static final StackStatus ROLLBACK_FAILED = new StackStatus("ROLLBACK_FAILED");
  public static final StackStatus UPDATE_IN_PROGRESS = new StackStatus("UPDATE_IN_PROGRESS");
  public static final StackStatus UPDATE_COMPLETE = new StackStatus("UPDATE_COMPLETE");
  public static final StackStatus UPDATE_FAILED = new StackStatus("UPDATE_FAILED");
  public static final StackStatus UPDATE_ROLLBACK_FAILED = new StackStatus("UPDATE_ROLLBACK_FAILED");
  public static final StackStatus UPDATE_ROLLBACK_COMPLETE = new StackStatus("UPDATE_ROLLBACK_COMPLETE");
  public static final StackStatus DELETE_IN_PROGRESS = new StackStatus("DELETE_IN_PROGRESS");
  public static final StackStatus DELETE_FAILED = new StackStatus("DELETE_FAILED");
  public static final StackStatus DELETE_COMPLETE = new StackStatus("DELETE_COMPLETE");
  public static final StackStatus REVIEW_IN_PROGRESS = new StackStatus("REVIEW_IN_PROGRESS");
  public static final StackStatus IMPORT_COMPLETE = new StackStatus("IMPORT_COMPLETE");
  public static final StackStatus IMPORT_ROLLBACK_COMPLETE = new StackStatus("IMPORT_ROLLBACK_COMPLETE");
  public static final StackStatus IMPORT_ROLLBACK_FAILED = new StackStatus("IMPORT_ROLLBACK_FAILED");

  /**
   * Every status of a stack that moves (CloudFormation is working on it), waiting for a CREATE change set excluded:
   * the ListStacks filter of the observer's short listing.
   */
  public static final Set<StackStatus> MOVING = Set.of(CREATE_IN_PROGRESS, UPDATE_IN_PROGRESS,
      new StackStatus("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"), DELETE_IN_PROGRESS,
      new StackStatus("ROLLBACK_IN_PROGRESS"), new StackStatus("UPDATE_ROLLBACK_IN_PROGRESS"),
      new StackStatus("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"), new StackStatus("IMPORT_IN_PROGRESS"),
      new StackStatus("IMPORT_ROLLBACK_IN_PROGRESS"));

  /** Every status but {@code DELETE_COMPLETE}: the ListStacks filter of the observer's full listing. */
  public static final Set<StackStatus> NOT_DELETED = Set.of(CREATE_IN_PROGRESS, CREATE_COMPLETE, CREATE_FAILED,
      ROLLBACK_COMPLETE, ROLLBACK_FAILED, new StackStatus("ROLLBACK_IN_PROGRESS"), UPDATE_IN_PROGRESS,
      new StackStatus("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"), UPDATE_COMPLETE, UPDATE_FAILED,
      new StackStatus("UPDATE_ROLLBACK_IN_PROGRESS"), UPDATE_ROLLBACK_FAILED,
      new StackStatus("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"), UPDATE_ROLLBACK_COMPLETE, DELETE_IN_PROGRESS,
      DELETE_FAILED, REVIEW_IN_PROGRESS, new StackStatus("IMPORT_IN_PROGRESS"), IMPORT_COMPLETE,
      new StackStatus("IMPORT_ROLLBACK_IN_PROGRESS"), IMPORT_ROLLBACK_FAILED, IMPORT_ROLLBACK_COMPLETE);

  /** The statuses after which the stack's events say why something failed. */
  private static final Set<StackStatus> FAILED = Set.of(CREATE_FAILED, ROLLBACK_COMPLETE, ROLLBACK_FAILED,
      UPDATE_FAILED, UPDATE_ROLLBACK_COMPLETE, UPDATE_ROLLBACK_FAILED, DELETE_FAILED, IMPORT_ROLLBACK_COMPLETE,
      IMPORT_ROLLBACK_FAILED);

  public StackStatus {
    Objects.requireNonNull(name, "name");
  }

  public static StackStatus of(String name) {
    return new StackStatus(name);
  }

  /** CloudFormation is working on the stack ({@code *_IN_PROGRESS}); waiting for a CREATE change set is not work. */
  public boolean moving() {
    return name.endsWith("_IN_PROGRESS") && !awaitingCreate();
  }

  /** {@code REVIEW_IN_PROGRESS}: the stack exists only to hold a CREATE change set that was not executed yet. */
  public boolean awaitingCreate() {
    return equals(REVIEW_IN_PROGRESS);
  }

  /** Nothing is moving: the status ends in {@code _COMPLETE} or {@code _FAILED}. */
  public boolean stable() {
    return !name.endsWith("_IN_PROGRESS");
  }

  /** The first create failed: the stack holds nothing and can only be deleted. */
  public boolean failedCreate() {
    return equals(ROLLBACK_COMPLETE) || equals(ROLLBACK_FAILED) || equals(CREATE_FAILED);
  }

  /** An operation failed: its events say why. */
  public boolean failed() {
    return FAILED.contains(this);
  }

  /** The last operation succeeded and the stack stands as it asked ({@code CREATE_COMPLETE}, {@code UPDATE_COMPLETE}). */
  public boolean complete() {
    return name.endsWith("_COMPLETE") && !name.contains("ROLLBACK") && !deleted();
  }

  /** The stack is gone (only found by its id). */
  public boolean deleted() {
    return equals(DELETE_COMPLETE);
  }

  /** {@code UPDATE_IN_PROGRESS} becomes {@code UpdateInProgress}, the CamelCase of reasons. */
  public String reason() {
    StringBuilder reason = new StringBuilder();
    for (String word : name.toLowerCase(Locale.ROOT).split("_")) {
      if (!word.isEmpty()) {
        reason.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
    }
    return reason.toString();
  }

  @Override
  public String toString() {
    return name;
  }
}
