package io.serverlessdata.operator.cloudformation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.AlreadyExistsException;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DeploymentMode;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackDriftDetectionStatusResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackEventsResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourceDriftsResponse;
import software.amazon.awssdk.services.cloudformation.model.ListStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.ResourceTargetDefinition;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDrift;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDriftStatus;
import software.amazon.awssdk.services.cloudformation.model.Tag;

/**
 * {@link StackOperations} on the AWS SDK v2 CloudFormation client. Retries of throttling and server errors
 * happen inside the SDK (standard retry mode); what is left after them is translated once, by
 * {@link AwsErrors}.
 */
public final class AwsStackOperations implements StackOperations, AutoCloseable {

  /** DescribeStackEvents pages read at most for {@link #failedEvents}: the newest events are on the first. */
  static final int MAX_EVENT_PAGES = 3;
  /** The resource type of a stack's own events. */
  static final String STACK_TYPE = "AWS::CloudFormation::Stack";
  /** The reason of the stack event that opens an operation someone started. */
  static final String USER_INITIATED = "User Initiated";

  private final CloudFormationClient client;

  public AwsStackOperations(CloudFormationClient client) {
    this.client = client;
  }

  public static AwsStackOperations create(ClientSettings settings) {
    return new AwsStackOperations(CloudFormationClientFactory.create(settings));
  }

  /** An adapter whose every CloudFormation call is reported to {@code listener} (the operator's metrics). */
  public static AwsStackOperations create(ClientSettings settings, ApiCallListener listener) {
    return new AwsStackOperations(
        CloudFormationClientFactory.create(settings, java.util.List.of(new AwsApiCallInterceptor(listener))));
  }

  @Override
  public Optional<Stack> describe(String stack) {
    try {
      return call("DescribeStacks", () -> client.describeStacks(r -> r.stackName(stack))).stacks().stream()
          .findFirst()
          .map(AwsStackOperations::toStack);
    } catch (StackNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public StackPage listStacks(Set<StackStatus> statuses, Optional<String> nextToken) {
    // the listing's pages tell every reconcile what changed: they go ahead of the calls waiting for the budget
    ListStacksResponse page = call("ListStacks", () -> client.listStacks(r -> r
        .stackStatusFiltersWithStrings(statuses.stream().map(StackStatus::name).sorted().toList())
        .nextToken(nextToken.orElse(null))
        .overrideConfiguration(c -> c.putExecutionAttribute(AwsCallBudgetInterceptor.AHEAD, true))));
    return new StackPage(page.stackSummaries().stream().map(AwsStackOperations::toSummary).toList(),
        Optional.ofNullable(page.nextToken()));
  }

  @Override
  public ChangeSet plan(PlanRequest request) {
    CreateChangeSetRequest.Builder create = CreateChangeSetRequest.builder()
        .stackName(request.stackName())
        .changeSetName(request.changeSetName())
        .changeSetType(request.type() == PlanRequest.Type.CREATE ? ChangeSetType.CREATE : ChangeSetType.UPDATE)
        .templateBody(request.templateBody())
        .parameters(request.parameters().entrySet().stream()
            .map(p -> Parameter.builder().parameterKey(p.getKey()).parameterValue(p.getValue()).build())
            .toList())
        .tags(request.tags().entrySet().stream()
            .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
            .toList())
        .capabilities(Capability.CAPABILITY_IAM)
        .clientToken(ClientTokens.of("plan", request.stackName(), request.changeSetName(),
            request.incarnation().orElse("first")));
    request.roleArn().ifPresent(create::roleARN);
    if (request.revertDrift()) {
      create.deploymentMode(DeploymentMode.REVERT_DRIFT);
    }
    if (request.importExistingResources()) {
      create.importExistingResources(true);
    }
    CreateChangeSetResponse created;
    try {
      created = client.createChangeSet(create.build());
    } catch (AlreadyExistsException e) {
      // an earlier attempt created it: the name is deterministic, so it is the same plan
      return describeChangeSet(request.stackName(), request.changeSetName());
    } catch (SdkException e) {
      throw AwsErrors.translate("CreateChangeSet", e);
    }
    // CloudFormation computes the changes asynchronously: a new change set is always pending, so it is not
    // described here (the next reconcile does, once it had time)
    return new ChangeSet(request.stackName(), created.stackId(), request.changeSetName(), created.id(),
        "CREATE_PENDING", Optional.empty(), "UNAVAILABLE", List.of());
  }

  @Override
  public ChangeSet describeChangeSet(String stack, String changeSet) {
    List<Change> changes = new ArrayList<>();
    DescribeChangeSetResponse page = null;
    do {
      String token = page == null ? null : page.nextToken();
      page = call("DescribeChangeSet", () -> client.describeChangeSet(r -> r.stackName(stack).changeSetName(changeSet)
          .nextToken(token)));
      page.changes().stream()
          .filter(c -> c.resourceChange() != null)
          .map(c -> toChange(c.resourceChange()))
          .forEach(changes::add);
    } while (page.nextToken() != null);
    Map<String, String> tags = new TreeMap<>();
    page.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
    return new ChangeSet(page.stackName(), page.stackId(), page.changeSetName(), page.changeSetId(),
        page.statusAsString(), Optional.ofNullable(page.statusReason()), page.executionStatusAsString(), changes, tags,
        Optional.ofNullable(page.creationTime()));
  }

  @Override
  public void execute(String stackId, String changeSetId) {
    call("ExecuteChangeSet", () -> client.executeChangeSet(r -> r.stackName(stackId).changeSetName(changeSetId)
        .clientRequestToken(ClientTokens.of("execute", changeSetId))));
  }

  @Override
  public void deleteChangeSet(String stack, String changeSet) {
    call("DeleteChangeSet", () -> client.deleteChangeSet(r -> r.stackName(stack).changeSetName(changeSet)));
  }

  @Override
  public void delete(String stackId, String attempt, Optional<String> roleArn) {
    call("DeleteStack", () -> client.deleteStack(r -> r.stackName(stackId).roleARN(roleArn.orElse(null))
        .clientRequestToken(ClientTokens.of("delete", stackId, attempt))));
  }

  /**
   * Reads events newest first, page by page, until the stack event that opened the current operation: the stack's own
   * {@code *_IN_PROGRESS} event with the reason {@code User Initiated} (DescribeStackEvents, "Stack events" in the
   * CloudFormation user guide). What came before it belongs to earlier operations and is not read.
   */
  @Override
  public List<StackEvent> currentOperationFailures(String stackId, int max) {
    List<StackEvent> failed = new ArrayList<>();
    DescribeStackEventsResponse page = null;
    int pages = 0;
    do {
      String token = page == null ? null : page.nextToken();
      page = call("DescribeStackEvents", () -> client.describeStackEvents(r -> r.stackName(stackId).nextToken(token)));
      pages++;
      for (var event : page.stackEvents()) {
        StackEvent mapped = new StackEvent(event.timestamp(), event.logicalResourceId(), event.resourceType(),
            event.resourceStatusAsString(), Optional.ofNullable(event.resourceStatusReason()));
        if (mapped.failed() && failed.size() < max) {
          failed.add(mapped);
        }
        if (STACK_TYPE.equals(event.resourceType()) && USER_INITIATED.equals(event.resourceStatusReason())) {
          return failed;
        }
      }
    } while (page.nextToken() != null && pages < MAX_EVENT_PAGES);
    return failed;
  }

  @Override
  public void continueUpdateRollback(String stackId, String attempt, Optional<String> roleArn) {
    call("ContinueUpdateRollback", () -> client.continueUpdateRollback(r -> r.stackName(stackId)
        .roleARN(roleArn.orElse(null))
        .clientRequestToken(ClientTokens.of("rollback", stackId, attempt))));
  }

  @Override
  public void setTerminationProtection(String stackId, boolean enabled) {
    call("UpdateTerminationProtection", () -> client.updateTerminationProtection(r -> r.stackName(stackId)
        .enableTerminationProtection(enabled)));
  }

  @Override
  public String detectDrift(String stackId) {
    return call("DetectStackDrift", () -> client.detectStackDrift(r -> r.stackName(stackId))).stackDriftDetectionId();
  }

  @Override
  public DriftDetection driftDetection(String detectionId) {
    DescribeStackDriftDetectionStatusResponse status =
        call("DescribeStackDriftDetectionStatus", () -> client.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(detectionId)));
    return new DriftDetection(status.stackDriftDetectionId(), DriftDetection.State.of(status.detectionStatusAsString()),
        Objects.requireNonNullElse(status.stackDriftStatusAsString(), "UNKNOWN"),
        Optional.ofNullable(status.detectionStatusReason()),
        Objects.requireNonNullElse(status.driftedStackResourceCount(), 0), status.timestamp());
  }

  @Override
  public List<ResourceDrift> resourceDrifts(String stackId, int max) {
    List<ResourceDrift> drifts = new ArrayList<>();
    DescribeStackResourceDriftsResponse page = null;
    do {
      String token = page == null ? null : page.nextToken();
      page = call("DescribeStackResourceDrifts", () -> client.describeStackResourceDrifts(r -> r.stackName(stackId)
          .stackResourceDriftStatusFilters(StackResourceDriftStatus.MODIFIED, StackResourceDriftStatus.DELETED)
          .nextToken(token)));
      for (StackResourceDrift drift : page.stackResourceDrifts()) {
        drifts.add(new ResourceDrift(drift.logicalResourceId(), drift.resourceType(),
            drift.stackResourceDriftStatusAsString(), drift.propertyDifferences().stream()
                .map(d -> new ResourceDrift.Difference(d.propertyPath(), d.expectedValue(), d.actualValue(),
                    d.differenceTypeAsString()))
                .toList()));
        if (drifts.size() == max) {
          return drifts;
        }
      }
    } while (page.nextToken() != null);
    return drifts;
  }

  @Override
  public void close() {
    client.close();
  }

  /** Runs one SDK call; its errors become the port's, naming the operation. */
  private static <T> T call(String operation, Supplier<T> request) {
    try {
      return request.get();
    } catch (SdkException e) {
      throw AwsErrors.translate(operation, e);
    }
  }

  private static Stack toStack(software.amazon.awssdk.services.cloudformation.model.Stack stack) {
    Map<String, String> outputs = new TreeMap<>();
    for (Output output : stack.outputs()) {
      outputs.put(output.outputKey(), output.outputValue());
    }
    Map<String, String> tags = new TreeMap<>();
    for (Tag tag : stack.tags()) {
      tags.put(tag.key(), tag.value());
    }
    Map<String, String> parameters = new TreeMap<>();
    for (Parameter parameter : stack.parameters()) {
      if (parameter.parameterValue() != null) {
        parameters.put(parameter.parameterKey(), parameter.parameterValue());
      }
    }
    return new Stack(stack.stackName(), stack.stackId(), StackStatus.of(stack.stackStatusAsString()),
        Optional.ofNullable(stack.stackStatusReason()), outputs, tags, parameters,
        Boolean.TRUE.equals(stack.enableTerminationProtection()), stack.creationTime(),
        Optional.ofNullable(stack.lastUpdatedTime()), drift(stack.driftInformation() == null ? null
            : stack.driftInformation().stackDriftStatusAsString(),
            stack.driftInformation() == null ? null : stack.driftInformation().lastCheckTimestamp()));
  }

  private static StackSummary toSummary(software.amazon.awssdk.services.cloudformation.model.StackSummary summary) {
    var drift = summary.driftInformation();
    return new StackSummary(summary.stackName(), summary.stackId(), StackStatus.of(summary.stackStatusAsString()),
        Optional.ofNullable(summary.stackStatusReason()), summary.creationTime(),
        Optional.ofNullable(summary.lastUpdatedTime()), Optional.ofNullable(summary.deletionTime()),
        drift(drift == null ? null : drift.stackDriftStatusAsString(), drift == null ? null : drift.lastCheckTimestamp()));
  }

  private static DriftInformation drift(String status, Instant lastChecked) {
    return status == null ? DriftInformation.NOT_CHECKED
        : new DriftInformation(status, Optional.ofNullable(lastChecked));
  }

  /**
   * The property a detail is about: its path without the {@code /Properties/} root when CloudFormation gives one
   * ({@code ProvisionedThroughput/ReadCapacityUnits}), else the top-level property's name.
   */
  private static String propertyPath(ResourceTargetDefinition target) {
    String path = target.path();
    if (path != null && path.startsWith("/Properties/")) {
      return path.substring("/Properties/".length());
    }
    return target.name();
  }

  private static Change toChange(ResourceChange change) {
    List<String> properties = change.details().stream()
        .filter(d -> d.target() != null && "Properties".equals(d.target().attributeAsString()))
        .map(d -> propertyPath(d.target()))
        .filter(Objects::nonNull)
        .distinct()
        .toList();
    return new Change(change.actionAsString(), change.logicalResourceId(), change.resourceType(),
        Optional.ofNullable(change.replacementAsString()), Optional.ofNullable(change.physicalResourceId()),
        properties);
  }
}
