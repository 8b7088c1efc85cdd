package io.serverlessdata.operator.reconciler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.serverlessdata.operator.api.InvalidSpecException;
import io.serverlessdata.operator.api.ResolvedSpec;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.SpecResolver;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackEvent;
import io.serverlessdata.operator.cloudformation.StackOperations;
import io.serverlessdata.operator.cloudformation.StackStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deletion (docs/architecture.md, "The pass"). The finalizer stays until the stack is gone, unless the resource only observed
 * it ({@code read-only}), its deletion policy retains it, or it never belonged to the resource. Data survives
 * as {@code spec.dataRetention} says: with {@code Retain} the table and bucket outlive the stack, so a
 * non-empty, object-locked bucket never blocks the deletion.
 */
final class StackCleaner {

  private final StackOperations cloudFormation;
  private final EventRecorder events;
  private final ReconcilerSettings settings;

  StackCleaner(StackOperations cloudFormation, EventRecorder events, ReconcilerSettings settings) {
    this.cloudFormation = cloudFormation;
    this.events = events;
    this.settings = settings;
  }

  DeleteControl cleanup(ServerlessDataStack resource, KubernetesClient client) {
    Optional<String> stackName = stackName(resource);
    if (stackName.isEmpty()) {
      return DeleteControl.defaultDelete();
    }
    String name = stackName.get();
    if (Annotations.readOnly(resource)) {
      events.record(resource, EventReason.Retained, "read-only: stack " + name + " is left as it is");
      return DeleteControl.defaultDelete();
    }
    if (Annotations.deletionPolicy(resource, namespaceAnnotations(client, resource)) == Annotations.DeletionPolicy.RETAIN) {
      events.record(resource, EventReason.Retained,
          "deletion policy retain: stack " + name + " keeps running without this resource");
      return DeleteControl.defaultDelete();
    }
    Optional<Stack> found = cloudFormation.describe(name).filter(s -> !s.status().deleted());
    if (found.isEmpty()) {
      events.record(resource, EventReason.Deleted, "stack " + name + " is deleted");
      return DeleteControl.defaultDelete();
    }
    Stack stack = found.get();
    // ours by the owner tag, or, before the tags are on the stack (a create still under way), by the id we recorded
    boolean ours = Planner.owns(resource.getMetadata().getUid(),
        Optional.ofNullable(resource.getStatus()).map(s -> s.getStackId()), stack);
    if (!ours) {
      events.record(resource, EventReason.Retained, "stack " + name + " does not belong to this resource; left as it is");
      return DeleteControl.defaultDelete();
    }
    if (stack.status().moving()) {
      return waitFor();
    }
    // a deletion after a failed one is a new request: its token names the failure it follows
    String attempt = stack.status().name() + "@" + stack.lastUpdatedTime().orElse(stack.creationTime());
    if (stack.status().equals(StackStatus.DELETE_FAILED)) {
      List<StackEvent> failures = cloudFormation.currentOperationFailures(stack.id(), StackObserver.MAX_FAILURES);
      attempt = stack.status().name() + "@" + failures.stream().findFirst().map(f -> f.timestamp().toString())
          .orElse("");
      events.record(resource, EventReason.DeleteFailed, "deleting stack " + name + " failed"
          + Planner.firstFailure(failures) + "; trying again");
    } else {
      events.record(resource, EventReason.Deleting, "deleting stack " + name);
    }
    if (stack.terminationProtection()) {
      cloudFormation.setTerminationProtection(stack.id(), false);
    }
    cloudFormation.delete(stack.id(), attempt, roleArn(resource));
    return waitFor();
  }

  private DeleteControl waitFor() {
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.progressInterval().toMillis());
  }

  /**
   * The stack the resource drives: the status knows it; if the status was lost, the spec names it (the owner
   * tag then decides whether it is the resource's); an invalid spec never reached AWS.
   */
  private static Optional<String> stackName(ServerlessDataStack resource) {
    if (resource.getStatus() != null && resource.getStatus().getStackName() != null) {
      return Optional.of(resource.getStatus().getStackName());
    }
    try {
      return Optional.of(SpecResolver.resolve(resource).stackName());
    } catch (InvalidSpecException e) {
      return Optional.empty();
    }
  }

  private Optional<String> roleArn(ServerlessDataStack resource) {
    try {
      ResolvedSpec spec = SpecResolver.resolve(resource);
      return spec.roleArn().or(settings::defaultRoleArn);
    } catch (InvalidSpecException e) {
      return settings.defaultRoleArn();
    }
  }

  private static Map<String, String> namespaceAnnotations(KubernetesClient client, ServerlessDataStack resource) {
    try {
      Namespace namespace = client.namespaces().withName(resource.getMetadata().getNamespace()).get();
      return namespace == null || namespace.getMetadata().getAnnotations() == null
          ? Map.of()
          : namespace.getMetadata().getAnnotations();
    } catch (KubernetesClientException e) {
      // without read access to namespaces, only the resource's own annotation counts
      return Map.of();
    }
  }
}
