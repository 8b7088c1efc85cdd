package io.serverlessdata.operator.cloudformation;

import java.util.Map;
import java.util.Optional;

/**
 * What the operator reads about the AWS account beside CloudFormation: its id (for the bucket's static name), and
 * the tags of a table or bucket that a new stack would import (whose data it is). Errors arrive as
 * {@link StackOperationException}s, as from {@link StackOperations}: refusals (access denied) as
 * {@link RejectedStackOperationException}.
 */
public interface AccountData {

  /** STS GetCallerIdentity: the account the operator's credentials act in; read once. */
  String accountId();

  /**
   * DynamoDB ListTagsOfResource of the table of this name in us-east-1.
   *
   * @return its tags; empty when there is no such table
   */
  Optional<Map<String, String>> tableTags(String tableName);

  /**
   * S3 GetBucketTagging.
   *
   * @return its tags (none: an empty map); empty when there is no such bucket
   * @throws RejectedStackOperationException with {@code AccessDenied} for a bucket of another account
   */
  Optional<Map<String, String>> bucketTags(String bucketName);
}
