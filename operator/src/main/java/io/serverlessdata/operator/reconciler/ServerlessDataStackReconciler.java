package io.serverlessdata.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.serverlessdata.operator.api.InvalidSpecException;
import io.serverlessdata.operator.api.ResolvedSpec;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.api.SpecResolver;
import io.serverlessdata.operator.cloudformation.ApiKeys;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackOperationException;
import io.serverlessdata.operator.cloudformation.StackOperations;
import io.serverlessdata.operator.reconciler.Decision.Requeue;
import io.serverlessdata.operator.template.RenderedStack;
import io.serverlessdata.operator.template.StackTemplate;
import io.serverlessdata.operator.template.TopicEncryption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Drives each {@code ServerlessDataStack}'s CloudFormation stack to its spec (DESIGN §4). Every pass reads the
 * same way: validate, render, observe, decide, act once, write the status — and never waits for AWS: it
 * returns and looks again, soon while the stack moves and rarely once it is still.
 */
@ControllerConfiguration(name = ServerlessDataStackReconciler.NAME, finalizerName = ServerlessDataStackReconciler.FINALIZER,
    // annotation-only changes steer the operator too: ReconcileTriggers decides which updates are reconciled
    generationAwareEventProcessing = false, informer = @Informer(onUpdateFilter = ReconcileTriggers.class))
public class ServerlessDataStackReconciler implements Reconciler<ServerlessDataStack>, Cleaner<ServerlessDataStack> {

  public static final String NAME = "serverlessdatastack";
  public static final String FINALIZER = "serverlessdata.io/finalizer";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StackObserver observer;
  private final StackDriver driver;
  private final StackCleaner cleaner;
  private final DriftTracker drift;
  private final OutputExporter exporter;
  private final EventRecorder events;
  private final ReconcilerSettings settings;
  private final Clock clock;

  public ServerlessDataStackReconciler(StackOperations cloudFormation, ApiKeys apiKeys, EventRecorder events,
      ReconcilerSettings settings, Clock clock) {
    this.exporter = new OutputExporter(apiKeys, events, clock);
    this.observer = new StackObserver(cloudFormation);
    this.driver = new StackDriver(cloudFormation, events);
    this.cleaner = new StackCleaner(cloudFormation, events, settings);
    this.drift = new DriftTracker(cloudFormation, events);
    this.events = events;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public UpdateControl<ServerlessDataStack> reconcile(ServerlessDataStack resource, Context<ServerlessDataStack> context) {
    ServerlessDataStackStatus status = Objects.requireNonNullElseGet(resource.getStatus(), ServerlessDataStackStatus::new);
    JsonNode before = JSON.valueToTree(status);
    resource.setStatus(status);

    ResolvedSpec spec;
    try {
      spec = SpecResolver.resolve(resource);
    } catch (InvalidSpecException e) {
      return finish(resource, before, Decision.report(Verdict.terminal("InvalidSpec", e.getMessage()), Requeue.NEVER),
          List.of(), false);
    }
    Optional<Decision> refused = refuseBeforeAws(resource, spec, context);
    if (refused.isPresent()) {
      return finish(resource, before, refused.get(), List.of(), false);
    }

    RenderedStack rendered = StackTemplate.render(spec.settings());
    boolean readOnly = Annotations.readOnly(resource);
    String specChangeSet = changeSetName(resource.getMetadata().getGeneration(), rendered.hash());
    Optional<String> revert = DriftTracker.revertChangeSet(status, spec.driftRemediation(), readOnly, rendered.hash(),
        specChangeSet);
    String changeSetName = revert.orElse(specChangeSet);
    Planner.Prior prior = prior(status);
    Optional<String> pending = prior.changeSetName().filter(changeSetName::equals).filter(n -> !prior.changeSetExecuted());
    Observation observed = observer.observe(spec.stackName(), pending);

    Planner.Input input = new Planner.Input(spec.stackName(), rendered.hash(), changeSetName,
        resource.getMetadata().getUid(), spec.terminationProtection(), readOnly, Annotations.adopt(resource),
        Annotations.allowReplacement(resource), revert.isPresent(), prior);
    Decision decision = Planner.decide(input, observed);

    status.setStackName(spec.stackName());
    // status.stackId is the id of a stack the resource owns, nothing else: it proves ownership on later passes, so a
    // stack that is not the resource's never gets there (a read-only resource reports such a stack all the same)
    Optional<Stack> ownStack = observed.stack().filter(stack -> Annotations.adopt(resource) || prior.adopted()
        || Planner.owns(resource.getMetadata().getUid(), prior.stackId(), stack));
    Optional<Stack> reported = readOnly ? observed.stack() : ownStack;
    reported.ifPresentOrElse(stack -> StatusWriter.stack(status, stack, ownStack.isPresent()), () -> {
      StatusWriter.noStack(status);
      DriftTracker.forget(status);
    });
    if (reported.isPresent() && !observed.failures().isEmpty()) {
      StatusWriter.failures(status, observed.failures());
    } else if (decision.verdict().state() == Verdict.State.SYNCED) {
      status.setFailures(List.of());
    }
    observed.changeSet().ifPresent(cs -> StatusWriter.changeSet(status, cs));
    driver.apply(resource, decision.action(), new StackDriver.Target(spec, rendered, changeSetName, observed,
        spec.roleArn().or(settings::defaultRoleArn), revert.isPresent()));
    revert.ifPresent(name -> drift.afterRevertStep(resource, decision.action(), name, observed, clock.instant()));
    Duration driftInterval = DriftTracker.interval(resource, spec.driftInterval(), settings.defaultDriftInterval());
    Optional<Duration> driftCheck = driftChecks(decision, observed)
        ? Optional.of(drift.track(resource, spec.stackName(), driftInterval, Annotations.checkDrift(resource),
            settings.afterStartingDetection(), settings.progressInterval(), clock.instant()))
        : Optional.empty();

    boolean adopted = prior.adopted() || (Annotations.adopt(resource) && observed.stack()
        .map(s -> !resource.getMetadata().getUid().equals(s.tags().get(SpecResolver.OWNER_UID_TAG))).orElse(false));
    if (decision.verdict().state() == Verdict.State.SYNCED) {
      exporter.export(resource, spec, context.getClient());
    }
    UpdateControl<ServerlessDataStack> control = finish(resource, before, decision, advisories(spec), adopted);
    nextLook(decision, observed, driftCheck).ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * When to look again: when the stack's moving work typically ends, else after the decision's interval; sooner
   * when a drift check needs it. Empty: only when the resource changes.
   */
  private Optional<Duration> nextLook(Decision decision, Observation observed, Optional<Duration> driftCheck) {
    Optional<Duration> next = moving(decision, observed).or(() -> decision.requeue() == Requeue.NEVER
        ? Optional.empty() : Optional.of(settings.interval(decision.requeue())));
    return driftCheck.map(due -> next.filter(d -> d.compareTo(due) < 0).orElse(due)).or(() -> next);
  }

  /** When to look at a stack that moves, or that the change set executed in this pass sets moving. */
  private Optional<Duration> moving(Decision decision, Observation observed) {
    if (decision.action() instanceof Decision.Action.Execute) {
      return Optional.of(settings.afterExecuting(observed.stack().map(Stack::awaitingCreate).orElse(true)));
    }
    return observed.stack().filter(Stack::inProgress).map(stack -> settings.whileMoving(stack.status(),
        Duration.between(stack.lastUpdatedTime().orElse(stack.creationTime()), clock.instant())));
  }

  /** Drift is checked on a synced, still stack, when the pass made no other call that changes it. */
  private static boolean driftChecks(Decision decision, Observation observed) {
    return decision.verdict().state() == Verdict.State.SYNCED
        && (decision.action() instanceof Decision.Action.None
            || decision.action() instanceof Decision.Action.SetTerminationProtection)
        && observed.stack().filter(stack -> stack.stable() && !stack.awaitingCreate()).isPresent();
  }

  @Override
  public ErrorStatusUpdateControl<ServerlessDataStack> updateErrorStatus(
      ServerlessDataStack resource, Context<ServerlessDataStack> context, Exception e) {
    ServerlessDataStackStatus status = Objects.requireNonNullElseGet(resource.getStatus(), ServerlessDataStackStatus::new);
    resource.setStatus(status);
    Verdict verdict = faultVerdict(e);
    boolean repeated = StatusConditions.find(status.getConditions(), ConditionTypes.RECOVERABLE)
        .filter(c -> verdict.reason().equals(c.getReason()) && verdict.message().equals(c.getMessage())).isPresent();
    if (!repeated) {
      events.record(resource, EventReason.AwsError, verdict.reason() + ": " + verdict.message()
          + " (retrying with backoff)");
    }
    status.setConditions(StatusConditions.derive(status.getConditions(), verdict, List.of(), adopted(status),
        generation(resource), clock.instant()));
    return ErrorStatusUpdateControl.patchStatus(resource);
  }

  /**
   * What a failed reconcile reports: AWS's error code as the reason and the failed operation with AWS's message
   * ("CreateChangeSet: Rate exceeded"). JOSDK may hand the exception over wrapped (its metrics wrap every reconcile),
   * so the cause chain is searched; a fault that is not AWS's reports its own message, never a class name.
   */
  static Verdict faultVerdict(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof StackOperationException aws) {
        return Verdict.recoverable(aws.errorCode(), aws.describe());
      }
    }
    Throwable innermost = e;
    while (innermost.getCause() != null && innermost.getCause() != innermost) {
      innermost = innermost.getCause();
    }
    return Verdict.recoverable("InternalError", Objects.requireNonNullElse(innermost.getMessage(),
        "unexpected error; the operator's log has the details"));
  }

  @Override
  public DeleteControl cleanup(ServerlessDataStack resource, Context<ServerlessDataStack> context) {
    return cleaner.cleanup(resource, context.getClient());
  }

  /** What stops a resource before any AWS call: a changed stack name, a prefix another resource holds. */
  private Optional<Decision> refuseBeforeAws(
      ServerlessDataStack resource, ResolvedSpec spec, Context<ServerlessDataStack> context) {
    ServerlessDataStackStatus status = resource.getStatus();
    if (status.getStackId() != null && status.getStackName() != null && !status.getStackName().equals(spec.stackName())) {
      return Optional.of(Decision.report(Verdict.terminal("ImmutableFieldChanged", "spec.stackName cannot change"
          + " from " + status.getStackName() + " to " + spec.stackName() + " (the stack is " + status.getStackName()
          + "); restore it, or delete this resource and create a new one"), Requeue.NEVER));
    }
    String prefix = spec.settings().resourcePrefix();
    // the first to come keeps the prefix; within the same second, the one that already has a stack
    Comparator<ServerlessDataStack> firstCome = Comparator
        .comparing((ServerlessDataStack r) -> Objects.requireNonNullElse(r.getMetadata().getCreationTimestamp(), ""))
        .thenComparing(r -> r.getStatus() == null || r.getStatus().getStackId() == null)
        .thenComparing(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName());
    Optional<ServerlessDataStack> holder = context.getPrimaryCache().list()
        .filter(other -> other.getSpec() != null && prefix.equals(other.getSpec().resourcePrefix()))
        .filter(other -> other.getMetadata().getDeletionTimestamp() == null)
        .min(firstCome);
    if (holder.isPresent() && !holder.get().getMetadata().getUid().equals(resource.getMetadata().getUid())) {
      ServerlessDataStack other = holder.get();
      return Optional.of(Decision.report(Verdict.terminal("PrefixConflict", "resourcePrefix " + prefix
          + " is already used by " + other.getMetadata().getNamespace() + "/" + other.getMetadata().getName()
          + "; physical names would collide, so choose another prefix"), Requeue.BLOCKED));
    }
    return Optional.empty();
  }

  private UpdateControl<ServerlessDataStack> finish(
      ServerlessDataStack resource, JsonNode before, Decision decision, List<String> advisories, boolean adopted) {
    ServerlessDataStackStatus status = resource.getStatus();
    Verdict verdict = decision.verdict();
    announce(resource, status, verdict);
    status.setObservedGeneration(generation(resource));
    status.setConditions(StatusConditions.derive(status.getConditions(), verdict, advisories, adopted,
        generation(resource), clock.instant()));

    UpdateControl<ServerlessDataStack> control = JSON.valueToTree(status).equals(before)
        ? UpdateControl.noUpdate()
        : UpdateControl.patchStatus(resource);
    if (decision.requeue() != Requeue.NEVER) {
      control.rescheduleAfter(settings.interval(decision.requeue()));
    }
    return control;
  }

  /** A Kubernetes event whenever the resource's situation changes (not on every pass). */
  private void announce(ServerlessDataStack resource, ServerlessDataStackStatus status, Verdict verdict) {
    String previous = StatusConditions.find(status.getConditions(), ConditionTypes.SYNCED)
        .map(c -> c.getReason()).orElse("");
    boolean recovered = StatusConditions.find(status.getConditions(), ConditionTypes.RECOVERABLE).isPresent();
    if (verdict.reason().equals(previous) && !recovered) {
      return;
    }
    eventReason(verdict).ifPresent(reason -> events.record(resource, reason, verdict.message()));
  }

  private static Optional<EventReason> eventReason(Verdict verdict) {
    return switch (verdict.state()) {
      case SYNCED, TERMINAL, NOT_SYNCED -> java.util.Arrays.stream(EventReason.values())
          .filter(r -> r.name().equals(verdict.reason())).findFirst();
      default -> Optional.empty();
    };
  }

  private static List<String> advisories(ResolvedSpec spec) {
    List<String> advisories = new ArrayList<>();
    spec.settings().lambda().runtime().deprecationNotice().ifPresent(advisories::add);
    if (spec.settings().topicEncryption() == TopicEncryption.AwsManaged) {
      advisories.add("spec.alerts.topicEncryption is AwsManaged: CloudWatch alarms cannot publish to a topic under"
          + " the AWS-managed SNS key, so the error alarm has no action (the function's own alerts still arrive);"
          + " use CustomerManaged to be alerted of timeouts and crashes too");
    }
    return advisories;
  }

  static String changeSetName(Long generation, String hash) {
    return "sds-g" + Objects.requireNonNullElse(generation, 0L) + "-" + hash.substring(0, 16);
  }

  private static Planner.Prior prior(ServerlessDataStackStatus status) {
    var last = Optional.ofNullable(status.getLastChangeSet());
    return new Planner.Prior(
        Optional.ofNullable(status.getSpecHash()),
        last.map(ServerlessDataStackStatus.ChangeSetStatus::name),
        last.map(ServerlessDataStackStatus.ChangeSetStatus::executionStatus)
            .filter(s -> s != null && s.startsWith("EXECUTE_")).isPresent(),
        Optional.ofNullable(status.getStackId()),
        Optional.ofNullable(status.getStackStatus()),
        adopted(status));
  }

  private static boolean adopted(ServerlessDataStackStatus status) {
    return StatusConditions.find(status.getConditions(), ConditionTypes.ADOPTED).isPresent();
  }

  private static long generation(ServerlessDataStack resource) {
    return Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L);
  }
}
