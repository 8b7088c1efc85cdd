package io.serverlessdata.operator.template;

/** What happens to the table and the bucket when the stack, or the resource itself, goes away. */
public enum DataRetention {
  /** Keep the data: the stack lets go of the table and bucket instead of deleting them. */
  Retain,
  /** Delete the data with the stack (an object-locked, non-empty bucket still cannot be deleted). */
  Delete
}
