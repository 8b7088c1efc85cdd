package io.serverlessdata.operator.api;

/** Whether a planned change to the stack runs at once or waits for a person's approval. */
public enum ChangeApproval {
  /** Every change set the spec needs is executed once CloudFormation has computed it. */
  Automatic,
  /**
   * A computed change set waits in {@code status.pendingChangeSet} until the annotation
   * {@code serverlessdata.io/approve} names it; the first creation of the stack too.
   */
  Manual
}
