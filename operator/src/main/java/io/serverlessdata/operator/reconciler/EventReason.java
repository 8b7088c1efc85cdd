package io.serverlessdata.operator.reconciler;

/** Reasons of the Kubernetes events the operator records, each with its type. */
public enum EventReason {
  InvalidSpec(true),
  PrefixConflict(true),
  StackNameConflict(true),
  ImmutableFieldChanged(true),
  Adopted(false),
  ChangeSetCreated(false),
  ChangeSetFailed(true),
  ChangeSetObsolete(true),
  Rejected(true),
  ImportRefused(true),
  ImportedRetainedData(false),
  NoChanges(false),
  ReplacementBlocked(true),
  AwaitingApproval(false),
  StaleApproval(true),
  Executing(false),
  Synced(false),
  CreateFailed(true),
  UpdateRolledBack(true),
  ContinuingRollback(true),
  RecreatingStack(true),
  StackDeletedOutOfBand(true),
  AwsError(true),
  Deleting(false),
  DeleteFailed(true),
  Deleted(false),
  Retained(false),
  DeprecatedRuntime(true),
  DriftDetected(true),
  DriftCleared(false),
  DriftDetectionFailed(true),
  RevertingDrift(false),
  RevertFailed(true),
  Exported(false),
  ExportConflict(true),
  ExportRefused(true),
  ExportFailed(true);

  private final boolean warning;

  EventReason(boolean warning) {
    this.warning = warning;
  }

  /** {@code Warning} or {@code Normal}. */
  public String type() {
    return warning ? "Warning" : "Normal";
  }
}
