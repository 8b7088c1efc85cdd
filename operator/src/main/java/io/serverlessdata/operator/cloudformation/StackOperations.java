package io.serverlessdata.operator.cloudformation;

import java.util.List;
import java.util.Optional;

/**
 * What the operator asks of CloudFormation, in its own terms: observe a stack, plan a change set, execute
 * or discard it, delete the stack, read why something failed, repair a failed rollback, and detect drift.
 *
 * <p>Every method is safe to repeat after a crash: change sets have names chosen by the caller and every
 * mutating call carries a client token derived from them. Failures arrive as a {@link StackOperationException}:
 * {@link TransientStackOperationException} when waiting and trying again may help,
 * {@link RejectedStackOperationException} when CloudFormation refused the request itself, and the two
 * not-found types when the stack or change set is not there.
 */
public interface StackOperations {

  /**
   * DescribeStacks.
   *
   * @param stackName the stack's name or id (ARN)
   * @return the stack, or empty when no stack of that name exists (a deleted stack is not found by name)
   */
  Optional<Stack> describe(String stackName);

  /**
   * CreateChangeSet. Repeating the call with the same change-set name returns the change set created the first
   * time instead of failing.
   *
   * @return the change set just created: pending, its changes not computed yet (CloudFormation takes seconds
   *     to compute them, so describing it at once would be a wasted call); after a repeat, as described
   */
  ChangeSet plan(PlanRequest request);

  /**
   * DescribeChangeSet with all of its changes.
   *
   * @throws ChangeSetNotFoundException when there is no such change set (any more)
   */
  ChangeSet describeChangeSet(String stackName, String changeSetName);

  /** ExecuteChangeSet, with a client request token derived from the change set's name. */
  void execute(String stackName, String changeSetName);

  /** DeleteChangeSet. */
  void deleteChangeSet(String stackName, String changeSetName);

  /**
   * DeleteStack, with a client request token derived from the stack's name; deleting a stack that does not
   * exist succeeds, as in CloudFormation.
   *
   * @param roleArn the service role CloudFormation deletes the resources with, if any
   */
  void delete(String stackName, Optional<String> roleArn);

  /**
   * The stack's failed events ({@code *_FAILED}), newest first.
   *
   * @param max at most this many
   * @throws StackNotFoundException when the stack does not exist
   */
  List<StackEvent> failedEvents(String stackName, int max);

  /** ContinueUpdateRollback: takes a stack out of {@code UPDATE_ROLLBACK_FAILED}. */
  void continueUpdateRollback(String stackName, Optional<String> roleArn);

  /** UpdateTerminationProtection. */
  void setTerminationProtection(String stackName, boolean enabled);

  /**
   * DetectStackDrift: starts a drift detection and returns at once; follow it with {@link #driftDetection}.
   *
   * @return the detection's id
   * @throws StackNotFoundException when the stack does not exist
   */
  String detectDrift(String stackName);

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
  List<ResourceDrift> resourceDrifts(String stackName, int max);
}
