package io.serverlessdata.operator.api;

/** What the operator does when drift is found. */
public enum DriftRemediation {
  /** Report only. */
  None,
  /** Run a drift-reverting change set. */
  Revert
}
