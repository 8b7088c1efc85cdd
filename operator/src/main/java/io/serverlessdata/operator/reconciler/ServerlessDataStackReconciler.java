package io.serverlessdata.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.serverlessdata.operator.api.InvalidSpecException;
import io.serverlessdata.operator.api.ResolvedSpec;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.SpecResolver;
import io.serverlessdata.operator.cloudformation.AccountData;
import io.serverlessdata.operator.cloudformation.ApiKeys;
import io.serverlessdata.operator.cloudformation.CallBudget;
import io.serverlessdata.operator.cloudformation.StackOperationException;
import io.serverlessdata.operator.cloudformation.StackOperations;
import io.serverlessdata.operator.reconciler.Decision.Requeue;
import io.serverlessdata.operator.template.StackTemplate;
import io.serverlessdata.operator.template.TopicEncryption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Drives each {@code ServerlessDataStack}'s CloudFormation stack to its spec. Every pass is one pipeline of values
 * (docs/architecture.md, "The pass"): resolve the spec into a {@link Target} → observe the stack ({@link
 * StackObserver}, from the account's {@link StackListing}) → plan ({@link Planner}) → act ({@link StackDriver}) →
 * export ({@link OutputExporter}) → report ({@link StatusReport}, the one writer of the status). It never waits for
 * AWS: it returns, and the listing starts the next pass when the stack changes.
 */
@ControllerConfiguration(name = ServerlessDataStackReconciler.NAME, finalizerName = ServerlessDataStackReconciler.FINALIZER,
    // annotation-only changes steer the operator too: ReconcileTriggers decides which updates are reconciled
    generationAwareEventProcessing = false, informer = @Informer(onUpdateFilter = ReconcileTriggers.class))
public class ServerlessDataStackReconciler implements Reconciler<ServerlessDataStack>, Cleaner<ServerlessDataStack> {

  public static final String NAME = "serverlessdatastack";
  public static final String FINALIZER = "serverlessdata.io/finalizer";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StackListing listing;
  private final ObservedChanges changes;
  private final AccountData account;
  private final StackObserver observer;
  private final StackDriver driver;
  private final StackCleaner cleaner;
  private final OutputExporter exporter;
  private final CallBudget budget;
  private final EventRecorder events;
  private final ReconcilerSettings settings;
  private final Clock clock;

  /**
   * @param budget the operator's AWS call budget, which the clients take their tokens from: a due drift detection
   *     yields while calls queue for it
   * @param changes what tells the reconcile executor which passes show a change the listing observed
   */
  public ServerlessDataStackReconciler(StackOperations cloudFormation, ApiKeys apiKeys, AccountData account,
      CallBudget budget, ObservedChanges changes, EventRecorder events, ReconcilerSettings settings, Clock clock) {
    this.listing = new StackListing(cloudFormation, settings.listing(), changes);
    this.changes = changes;
    this.account = account;
    this.observer = new StackObserver(cloudFormation, account, settings.detectionTimeout(),
        settings.progressInterval());
    this.driver = new StackDriver(cloudFormation);
    this.cleaner = new StackCleaner(cloudFormation, events, settings);
    this.exporter = new OutputExporter(apiKeys);
    this.budget = budget;
    this.events = events;
    this.settings = settings;
    this.clock = clock;
  }

  /** The account's stack listing, the one event source besides the resources themselves. */
  @Override
  public List<EventSource<?, ServerlessDataStack>> prepareEventSources(
      EventSourceContext<ServerlessDataStack> context) {
    listing.watch(context.getPrimaryCache());
    return List.of(listing);
  }

  @Override
  public UpdateControl<ServerlessDataStack> reconcile(ServerlessDataStack resource, Context<ServerlessDataStack> context) {
    changes.passBegins(ResourceID.fromResource(resource));
    Prior prior = new Prior(resource.getStatus());
    long generation = generation(resource);
    Instant now = clock.instant();

    ResolvedSpec spec;
    try {
      spec = SpecResolver.resolve(resource);
    } catch (InvalidSpecException e) {
      return finish(resource, context, prior, StatusReport.refused(prior, Verdict.terminal("InvalidSpec", e.getMessage()),
          EventReason.InvalidSpec, generation, now), Optional.empty());
    }
    Optional<StatusReport.Result> refused = refuseBeforeAws(resource, spec, prior, context, now);
    if (refused.isPresent()) {
      return finish(resource, context, prior, refused.get(), Optional.of(settings.blockedInterval()));
    }

    Target target = new Target(spec, StackTemplate.render(spec.settings(), Optional.of(account.accountId())),
        resource.getMetadata().getUid(), generation, Steering.of(resource), driftInterval(resource, spec),
        spec.roleArn().or(settings::defaultRoleArn), resource.getMetadata().getNamespace(),
        resource.getMetadata().getName());
    ResourceID id = ResourceID.fromResource(resource);
    Instant created = Optional.ofNullable(resource.getMetadata().getCreationTimestamp()).map(Instant::parse)
        .orElse(Instant.MAX.minusSeconds(10));
    Observation observed = observer.observe(target, prior, listing.summary(id),
        listing.knownAbsent(spec.stackName(), created), now);
    Planner.Input input = new Planner.Input(target, prior, observed, settings, now,
        budget.saturated() ? Planner.CallLoad.SATURATED : Planner.CallLoad.SPARE);
    if (observed.described().isPresent() && (target.steering().readOnly() || Planner.owned(input))) {
      listing.remember(id, observed.described().get().summary());
    }
    Decision decision = Planner.decide(input);
    Outcome outcome = driver.act(decision, target, prior, observed, now);
    if (outcome.stack() instanceof Outcome.Stack.Executed || outcome.stack() instanceof Outcome.Stack.Deleted
        || outcome.stack() instanceof Outcome.Stack.ContinuedRollback) {
      listing.expectMovement(id);
    }
    OutputExporter.Export export = decision.verdict().state() == Verdict.State.SYNCED
        ? exporter.export(resource, spec, outputs(prior, observed), prior.status().getExports(), context.getClient())
        : OutputExporter.Export.unchanged(prior.status().getExports(), prior.condition(ConditionTypes.EXPORTED));
    StatusReport.Result result = StatusReport.report(new StatusReport.Pass(target, prior, observed, decision,
        outcome, export, advisories(spec, now), now));
    return finish(resource, context, prior, result, nextLook(decision, result, target, now));
  }

  @Override
  public ErrorStatusUpdateControl<ServerlessDataStack> updateErrorStatus(
      ServerlessDataStack resource, Context<ServerlessDataStack> context, Exception e) {
    Prior prior = new Prior(resource.getStatus());
    StatusReport.Result result = StatusReport.fault(prior, faultVerdict(e), generation(resource), clock.instant());
    result.events().forEach(event -> events.record(resource, event.reason(), event.message()));
    writeStatus(resource, context, prior, result);
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  @Override
  public DeleteControl cleanup(ServerlessDataStack resource, Context<ServerlessDataStack> context) {
    changes.passBegins(ResourceID.fromResource(resource));
    return cleaner.cleanup(resource, context.getClient());
  }

  /**
   * What a failed pass reports: AWS's error code as the reason and the failed operation with AWS's message
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

  /** What stops a resource before any AWS call: a changed stack name, a prefix another resource holds. */
  private Optional<StatusReport.Result> refuseBeforeAws(ServerlessDataStack resource, ResolvedSpec spec, Prior prior,
      Context<ServerlessDataStack> context, Instant now) {
    long generation = generation(resource);
    if (prior.stackId().isPresent() && prior.stackName().filter(name -> !name.equals(spec.stackName())).isPresent()) {
      String was = prior.stackName().get();
      return Optional.of(StatusReport.refused(prior, Verdict.terminal("ImmutableFieldChanged", "spec.stackName cannot"
          + " change from " + was + " to " + spec.stackName() + " (the stack is " + was + "); restore it, or delete"
          + " this resource and create a new one"), EventReason.ImmutableFieldChanged, generation, now));
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
      return Optional.of(StatusReport.refused(prior, Verdict.terminal("PrefixConflict", "resourcePrefix " + prefix
          + " is already used by " + other.getMetadata().getNamespace() + "/" + other.getMetadata().getName()
          + "; physical names would collide, so choose another prefix"), EventReason.PrefixConflict, generation, now));
    }
    return Optional.empty();
  }

  /** Records the pass's events, writes the status only if it changed, and says when to look again. */
  private UpdateControl<ServerlessDataStack> finish(ServerlessDataStack resource, Context<ServerlessDataStack> context,
      Prior prior, StatusReport.Result result, Optional<Duration> nextLook) {
    result.events().forEach(event -> events.record(resource, event.reason(), event.message()));
    writeStatus(resource, context, prior, result);
    UpdateControl<ServerlessDataStack> control = UpdateControl.noUpdate();
    nextLook.ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * Replaces the status with the pass's, if it changed: one PUT of the status subresource with optimistic locking,
   * retried on a conflict against the latest resource, and the result cached for the next pass (JOSDK's
   * {@link PrimaryUpdateAndCacheUtils}). A PUT rather than a patch: the report built the whole status, fields it
   * cleared included, and a patch computed against a cached copy that lags the server goes wrong.
   */
  private static void writeStatus(ServerlessDataStack resource, Context<ServerlessDataStack> context, Prior prior,
      StatusReport.Result result) {
    if (JSON.valueToTree(result.status()).equals(JSON.valueToTree(prior.status()))) {
      return;
    }
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, r -> {
      r.setStatus(result.status());
      return r;
    });
  }

  /**
   * When to look again at the latest: the decision's interval, sooner when a drift detection is due or one that runs
   * should be asked about. The account's listing starts a pass as soon as the stack changes, so these are a floor
   * for what the listing cannot see (a change set being computed, a detection's schedule) — and, while the listing
   * fails, for a stack it would follow. Empty: only when the resource changes.
   */
  private Optional<Duration> nextLook(Decision decision, StatusReport.Result result, Target target, Instant now) {
    // a stack the listing follows, while the listing fails: its own pass describes it again after a while
    Requeue requeue = decision.requeue() == Requeue.FOLLOWED && !listing.following() ? Requeue.BLOCKED
        : decision.requeue();
    Optional<Duration> next = requeue == Requeue.NEVER ? Optional.empty() : Optional.of(settings.interval(requeue));
    if (result.verdict().state() != Verdict.State.SYNCED || result.status().getStackStatus() == null) {
      return next;
    }
    // a detection that yielded to the writes is tried again when the queue may have gone, not at every progress tick
    Duration whenDue = decision.drift() == Decision.DriftAction.YIELD ? settings.blockedInterval()
        : settings.progressInterval();
    Duration drift = DriftState.untilDue(new Prior(result.status()).drift(), target.driftInterval(),
            target.steering().checkDrift(), settings.blockedInterval(), now)
        .map(due -> due.isZero() ? whenDue : due)
        .orElse(Boolean.TRUE.equals(new Prior(result.status()).drift().requested()) ? settings.progressInterval()
            : settings.detectionTimeout());
    return Optional.of(next.filter(d -> d.compareTo(drift) < 0).orElse(drift));
  }

  /** The outputs the export carries: as described this pass, else as the status recorded them. */
  private static java.util.Map<String, String> outputs(Prior prior, Observation observed) {
    return observed.described().map(d -> d.outputs()).orElse(prior.status().getOutputs());
  }

  /** The spec's drift interval; when the spec sets none, the operator's default, else the spec's default. */
  private Duration driftInterval(ServerlessDataStack resource, ResolvedSpec spec) {
    var detection = resource.getSpec().driftDetection();
    boolean explicit = detection != null && detection.intervalMinutes() != null;
    return explicit ? spec.driftInterval() : settings.defaultDriftInterval().orElse(spec.driftInterval());
  }

  private static List<String> advisories(ResolvedSpec spec, Instant now) {
    List<String> advisories = new ArrayList<>();
    spec.settings().lambda().runtime().deprecationNotice(LocalDate.ofInstant(now, ZoneOffset.UTC))
        .ifPresent(advisories::add);
    if (spec.settings().topicEncryption() == TopicEncryption.AwsManaged) {
      advisories.add("spec.alerts.topicEncryption is AwsManaged: CloudWatch alarms cannot publish to a topic under"
          + " the AWS-managed SNS key, so the error alarm has no action (the function's own alerts still arrive);"
          + " use CustomerManaged to be alerted of timeouts and crashes too");
    }
    return advisories;
  }

  private static long generation(ServerlessDataStack resource) {
    return Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L);
  }
}
