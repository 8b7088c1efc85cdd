package io.serverlessdata.operator.cloudformation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
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
  public Optional<Stack> describe(String stackName) {
    try {
      return call("DescribeStacks", () -> client.describeStacks(r -> r.stackName(stackName))).stacks().stream()
          .findFirst()
          .map(AwsStackOperations::toStack);
    } catch (StackNotFoundException e) {
      return Optional.empty();
    }
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
        .clientToken(ClientTokens.of("plan", request.changeSetName()));
    request.roleArn().ifPresent(create::roleARN);
    if (request.revertDrift()) {
      create.deploymentMode(DeploymentMode.REVERT_DRIFT);
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
  public ChangeSet describeChangeSet(String stackName, String changeSetName) {
    List<Change> changes = new ArrayList<>();
    DescribeChangeSetResponse page = null;
    do {
      String token = page == null ? null : page.nextToken();
      page = call("DescribeChangeSet", () -> client.describeChangeSet(r -> r.stackName(stackName).changeSetName(changeSetName)
          .nextToken(token)));
      page.changes().stream()
          .filter(c -> c.resourceChange() != null)
          .map(c -> toChange(c.resourceChange()))
          .forEach(changes::add);
    } while (page.nextToken() != null);
    return new ChangeSet(page.stackName(), page.stackId(), page.changeSetName(), page.changeSetId(),
        page.statusAsString(), Optional.ofNullable(page.statusReason()), page.executionStatusAsString(), changes);
  }

  @Override
  public void execute(String stackName, String changeSetName) {
    call("ExecuteChangeSet", () -> client.executeChangeSet(r -> r.stackName(stackName).changeSetName(changeSetName)
        .clientRequestToken(ClientTokens.of("execute", changeSetName))));
  }

  @Override
  public void deleteChangeSet(String stackName, String changeSetName) {
    call("DeleteChangeSet", () -> client.deleteChangeSet(r -> r.stackName(stackName).changeSetName(changeSetName)));
  }

  @Override
  public void delete(String stackName, Optional<String> roleArn) {
    call("DeleteStack", () -> client.deleteStack(r -> r.stackName(stackName).roleARN(roleArn.orElse(null))
        .clientRequestToken(ClientTokens.of("delete", stackName))));
  }

  @Override
  public List<StackEvent> failedEvents(String stackName, int max) {
    List<StackEvent> failed = new ArrayList<>();
    DescribeStackEventsResponse page = null;
    int pages = 0;
    do {
      String token = page == null ? null : page.nextToken();
      page = call("DescribeStackEvents", () -> client.describeStackEvents(r -> r.stackName(stackName).nextToken(token)));
      pages++;
      for (var event : page.stackEvents()) {
        StackEvent mapped = new StackEvent(event.timestamp(), event.logicalResourceId(), event.resourceType(),
            event.resourceStatusAsString(), Optional.ofNullable(event.resourceStatusReason()));
        if (mapped.failed()) {
          failed.add(mapped);
          if (failed.size() == max) {
            return failed;
          }
        }
      }
    } while (page.nextToken() != null && pages < MAX_EVENT_PAGES);
    return failed;
  }

  @Override
  public void continueUpdateRollback(String stackName, Optional<String> roleArn) {
    call("ContinueUpdateRollback", () -> client.continueUpdateRollback(r -> r.stackName(stackName).roleARN(roleArn.orElse(null))));
  }

  @Override
  public void setTerminationProtection(String stackName, boolean enabled) {
    call("UpdateTerminationProtection", () -> client.updateTerminationProtection(r -> r.stackName(stackName).enableTerminationProtection(enabled)));
  }

  @Override
  public String detectDrift(String stackName) {
    return call("DetectStackDrift", () -> client.detectStackDrift(r -> r.stackName(stackName))).stackDriftDetectionId();
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
  public List<ResourceDrift> resourceDrifts(String stackName, int max) {
    List<ResourceDrift> drifts = new ArrayList<>();
    DescribeStackResourceDriftsResponse page = null;
    do {
      String token = page == null ? null : page.nextToken();
      page = call("DescribeStackResourceDrifts", () -> client.describeStackResourceDrifts(r -> r.stackName(stackName)
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
    return new Stack(stack.stackName(), stack.stackId(), stack.stackStatusAsString(),
        Optional.ofNullable(stack.stackStatusReason()), outputs, tags,
        Boolean.TRUE.equals(stack.enableTerminationProtection()), stack.creationTime(),
        Optional.ofNullable(stack.lastUpdatedTime()));
  }

  private static Change toChange(ResourceChange change) {
    return new Change(change.actionAsString(), change.logicalResourceId(), change.resourceType(),
        Optional.ofNullable(change.replacementAsString()));
  }
}
