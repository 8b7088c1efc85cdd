package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.DriftDetection;
import io.serverlessdata.operator.cloudformation.PlanRequest;
import io.serverlessdata.operator.cloudformation.ResourceDrift;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackEvent;
import io.serverlessdata.operator.cloudformation.StackOperations;
import io.serverlessdata.operator.cloudformation.StackPage;
import io.serverlessdata.operator.cloudformation.StackStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A fake CloudFormation for a unit that should make only some calls: every call fails the test, naming the call and
 * why it should not happen, unless the subclass answers it.
 */
abstract class RefusingStackOperations implements StackOperations {

  private final String why;

  /** @param why what the unit under test is, e.g. "the observer writes nothing" */
  RefusingStackOperations(String why) {
    this.why = why;
  }

  private AssertionError refused(String operation) {
    return new AssertionError(operation + " was called, but " + why);
  }

  @Override
  public Optional<Stack> describe(String stack) {
    throw refused("DescribeStacks");
  }

  @Override
  public StackPage listStacks(Set<StackStatus> statuses, Optional<String> nextToken) {
    throw refused("ListStacks");
  }

  @Override
  public ChangeSet plan(PlanRequest request) {
    throw refused("CreateChangeSet");
  }

  @Override
  public ChangeSet describeChangeSet(String stack, String changeSet) {
    throw refused("DescribeChangeSet");
  }

  @Override
  public void execute(String stackId, String changeSetId) {
    throw refused("ExecuteChangeSet");
  }

  @Override
  public void deleteChangeSet(String stack, String changeSet) {
    throw refused("DeleteChangeSet");
  }

  @Override
  public void delete(String stackId, String attempt, Optional<String> roleArn) {
    throw refused("DeleteStack");
  }

  @Override
  public List<StackEvent> currentOperationFailures(String stackId, int max) {
    throw refused("DescribeStackEvents");
  }

  @Override
  public void continueUpdateRollback(String stackId, String attempt, Optional<String> roleArn) {
    throw refused("ContinueUpdateRollback");
  }

  @Override
  public void setTerminationProtection(String stackId, boolean enabled) {
    throw refused("UpdateTerminationProtection");
  }

  @Override
  public String detectDrift(String stackId) {
    throw refused("DetectStackDrift");
  }

  @Override
  public DriftDetection driftDetection(String detectionId) {
    throw refused("DescribeStackDriftDetectionStatus");
  }

  @Override
  public List<ResourceDrift> resourceDrifts(String stackId, int max) {
    throw refused("DescribeStackResourceDrifts");
  }
}
