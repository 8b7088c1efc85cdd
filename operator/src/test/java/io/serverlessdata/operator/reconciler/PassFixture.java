package io.serverlessdata.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.serverlessdata.operator.api.InvalidSpecException;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.ChangeSetStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.PlannedChange;
import io.serverlessdata.operator.api.SpecResolver;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.DriftInformation;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackStatus;
import io.serverlessdata.operator.cloudformation.StackSummary;
import io.serverlessdata.operator.template.StackTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Values of a pass for unit tests of its steps: a resource's target, a prior status, stacks as AWS reports them. */
final class PassFixture {

  static final String UID = "uid-1";
  static final String STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/team-a-orders/1";
  static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  static final Instant CHANGED = Instant.parse("2026-11-28T11:00:00Z");
  static final ReconcilerSettings SETTINGS = ReconcilerSettings.defaults();

  private PassFixture() {}

  /** The minimal spec of {@code team-a/orders}. */
  static ServerlessDataStackSpec spec() {
    return new ServerlessDataStackSpec("orders-prod", null, null, "ops@example.com", null, null, null, null, null,
        null, null, null, null, null, null, null);
  }

  /** The target of a minimal resource {@code team-a/orders} at this generation, steered as given. */
  static Target target(long generation, Steering steering) {
    return target(generation, steering, spec());
  }

  /** The target of resource {@code team-a/orders} with this spec at this generation, steered as given. */
  static Target target(long generation, Steering steering, ServerlessDataStackSpec spec) {
    ServerlessDataStack resource = new ServerlessDataStack();
    resource.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace("team-a").withUid(UID)
        .withGeneration(generation).build());
    resource.setSpec(spec);
    try {
      var resolved = SpecResolver.resolve(resource);
      return new Target(resolved, StackTemplate.render(resolved.settings(), Optional.of("123456789012")), UID,
          generation,
          steering, Duration.ofHours(1), Optional.empty(), "team-a", "orders");
    } catch (InvalidSpecException e) {
      throw new IllegalStateException(e);
    }
  }

  static Target target() {
    return target(2, plain());
  }

  static Steering plain() {
    return Steering.NONE;
  }

  /** A status of a stack the resource created: its id recorded, the stack as last seen, driven to {@code hash}. */
  static ServerlessDataStackStatus drivenTo(String hash, String stackStatus) {
    ServerlessDataStackStatus status = new ServerlessDataStackStatus();
    status.setObservedGeneration(2L);
    status.setStackName("team-a-orders");
    status.setStackId(STACK_ID);
    status.setStackStatus(stackStatus);
    status.setStackLastUpdatedTime(CHANGED.toString());
    status.setSpecHash(hash);
    return status;
  }

  /** A recorded change set of this name, in this state. */
  static ChangeSetStatus recorded(String name, String status, String reason, String execution,
      PlannedChange... changes) {
    return new ChangeSetStatus(name, "arn:cs/" + name, "UPDATE", 2L, status, reason, execution, List.of(changes));
  }

  static StackSummary summary(String status) {
    return new StackSummary("team-a-orders", STACK_ID, StackStatus.of(status), Optional.empty(), Instant.EPOCH,
        Optional.of(CHANGED), Optional.empty(), DriftInformation.NOT_CHECKED);
  }

  /** A description of the stack, tagged for {@code ownerUid} (none: untagged). */
  static Stack described(String status, String ownerUid, boolean protection) {
    return new Stack("team-a-orders", STACK_ID, StackStatus.of(status), Optional.empty(), Map.of("ApiEndpoint", "x"),
        ownerUid == null ? Map.of() : Map.of(SpecResolver.OWNER_UID_TAG, ownerUid), Map.of(), protection, Instant.EPOCH,
        Optional.of(CHANGED), DriftInformation.NOT_CHECKED);
  }

  /** Observed from the listing's summary only. */
  static Observation listed(String status) {
    return new Observation(Optional.of(summary(status)), Optional.empty(), Optional.empty(), Optional.empty(),
        new Observation.Drift.Unchanged());
  }

  /** Observed with a description of the stack. */
  static Observation described(Stack stack) {
    return new Observation(Optional.of(stack.summary()), Optional.of(stack), Optional.empty(), Optional.empty(),
        new Observation.Drift.Unchanged());
  }

  static Observation withChangeSet(Observation observed, ChangeSet changeSet) {
    return new Observation(observed.stack(), observed.described(), Optional.of(changeSet), observed.failures(),
        observed.drift());
  }

  static Planner.Input input(Target target, ServerlessDataStackStatus prior, Observation observed) {
    return new Planner.Input(target, new Prior(prior), observed, SETTINGS, NOW, Planner.CallLoad.SPARE);
  }
}
