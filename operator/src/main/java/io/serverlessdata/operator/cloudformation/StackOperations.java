package io.serverlessdata.operator.cloudformation;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the operator asks of CloudFormation, in its own terms: list and observe stacks, plan a change set, execute
 * or discard it, delete the stack, read why its current operation failed, repair a failed rollback, and detect
 * drift.
 *
 * <p>Every method is safe to repeat after a crash. Mutating calls address one stack incarnation by its id (an ARN,
 * unique even after the stack is gone) and carry a client request token derived from what they are about — the
 * change set's id, the stack's id and state — so that a retry of the same call is recognised as one, and a call about
 * a later incarnation of the same name never looks like a retry of an earlier one. Failures arrive as a
 * {@link StackOperationException}: {@link TransientStackOperationException} when waiting and trying again may help,
 * {@link RejectedStackOperationException} when CloudFormation refused the request itself, and the two not-found types
 * when the stack or change set is not there.
 */
public interface StackOperations {

  /**
   * DescribeStacks.
   *
   * @param stack the stack's name, or its id (ARN) — a deleted stack is found only by its id, as
   *     {@code DELETE_COMPLETE}
   * @return the stack, or empty when no stack of that name exists
   */
  Optional<Stack> describe(String stack);

  /**
   * One page of ListStacks: the summaries of the account's stacks in these statuses (in the operator's region). An
   * implementation that spends the call budget takes the page's tokens ahead of the calls that wait for theirs
   * ({@link CallBudget#acquireAhead()}, as {@link AwsStackOperations} does): the page tells those passes what changed.
   *
   * @param nextToken where the page starts, from the previous page; empty for the first
   */
  StackPage listStacks(Set<StackStatus> statuses, Optional<String> nextToken);

  /**
   * CreateChangeSet. Repeating the call for the same change-set name and stack incarnation returns the change set
   * created the first time instead of failing.
   *
   * @return the change set just created: pending, its changes not computed yet (CloudFormation takes seconds to
   *     compute them, so describing it at once would be a wasted call); after a repeat, as described
   */
  ChangeSet plan(PlanRequest request);

  /**
   * DescribeChangeSet with all of its changes.
   *
   * @param changeSet the change set's id (ARN), or its name on the stack
   * @throws ChangeSetNotFoundException when there is no such change set (any more)
   */
  ChangeSet describeChangeSet(String stack, String changeSet);

  /** ExecuteChangeSet of a change set by its id, with a client request token derived from that id. */
  void execute(String stackId, String changeSetId);

  /** DeleteChangeSet. */
  void deleteChangeSet(String stack, String changeSet);

  /**
   * DeleteStack of one incarnation, with a client request token derived from its id and the attempt; deleting a
   * stack that is gone succeeds, as in CloudFormation.
   *
   * @param stackId the stack's id
   * @param attempt what tells this deletion from an earlier one of the same stack (its status, and when its last
   *     operation failed): a second deletion after a failed one is a new request, not a retry of the first
   * @param roleArn the service role CloudFormation deletes the resources with, if any
   */
  void delete(String stackId, String attempt, Optional<String> roleArn);

  /**
   * The failed events ({@code *_FAILED}) of the stack's current operation — the one its latest {@code User
   * Initiated} stack event opened — newest first; events of earlier operations are not read.
   *
   * @param max at most this many
   * @throws StackNotFoundException when the stack does not exist
   */
  List<StackEvent> currentOperationFailures(String stackId, int max);

  /**
   * ContinueUpdateRollback: takes a stack out of {@code UPDATE_ROLLBACK_FAILED}.
   *
   * @param attempt what tells this request from an earlier one on the same stack (when its rollback failed)
   */
  void continueUpdateRollback(String stackId, String attempt, Optional<String> roleArn);

  /** UpdateTerminationProtection. */
  void setTerminationProtection(String stackId, boolean enabled);

  /**
   * DetectStackDrift: starts a drift detection and returns at once; the stack's summary shows when it completed.
   *
   * @return the detection's id
   * @throws StackNotFoundException when the stack does not exist
   */
  String detectDrift(String stackId);

  /**
   * DescribeStackDriftDetectionStatus.
   *
   * @throws RejectedStackOperationException when CloudFormation no longer knows the detection
   */
  DriftDetection driftDetection(String detectionId);

  /**
   * DescribeStackResourceDrifts of the last detection, for the resources that were modified or deleted.
   *
   * @param max at most this many
   */
  List<ResourceDrift> resourceDrifts(String stackId, int max);
}
