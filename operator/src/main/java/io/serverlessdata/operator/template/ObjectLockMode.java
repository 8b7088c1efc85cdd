package io.serverlessdata.operator.template;

/** S3 Object Lock retention modes. */
public enum ObjectLockMode {
  /** Users with special permissions may still shorten the retention or delete locked versions. */
  GOVERNANCE,
  /** Nobody, not even the account root, can delete a locked version before its retention ends. */
  COMPLIANCE
}
