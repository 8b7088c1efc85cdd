package io.serverlessdata.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.AckResourceMetadata;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.ChangeSetStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.ImportedResource;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.ParameterChange;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.PlannedChange;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.Rejection;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.StackFailure;
import io.serverlessdata.operator.cloudformation.Change;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.PlanRequest;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackStatus;
import io.serverlessdata.operator.cloudformation.StackSummary;
import io.serverlessdata.operator.reconciler.Decision.Action;
import io.serverlessdata.operator.reconciler.StatusConditions.Findings;
import io.serverlessdata.operator.reconciler.StatusConditions.Part;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The report step of the pass (docs/architecture.md, "The pass"), and the one place that writes the status: the new
 * status is built from the status the pass began with and the values the steps returned — target, observation,
 * decision, outcome, export — together with the conditions and the events that announce what changed. Nothing else
 * in the operator sets a status field.
 *
 * <p>What survives a restart is recorded here before the pass ends: the stack id the operator's own create returned,
 * the change set planned or executed, the hash the stack is driven to, the detection started, a refused write.
 */
final class StatusReport {

  static final String REGION = "us-east-1";
  /** Bounds the status object however large a change set is. */
  static final int MAX_CHANGES = 50;
  /** How many imported tables and buckets the status remembers. */
  static final int MAX_IMPORTED = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusReport() {}

  /** An event to record: its reason (and with it its type) and message. */
  record Announcement(EventReason reason, String message) {}

  /** The new status, the verdict it reports, and the events announcing what changed. */
  record Result(ServerlessDataStackStatus status, Verdict verdict, List<Announcement> events) {}

  /**
   * Everything one pass found and did.
   *
   * @param advisories sentences for {@code ACK.Advisory}
   * @param export what the export step did (or, when it did not run, what the status recorded)
   */
  record Pass(Target target, Prior prior, Observation observed, Decision decision, Outcome outcome,
      OutputExporter.Export export, List<String> advisories, Instant now) {}

  /** A pass that stopped before any AWS call (an invalid spec, a prefix another resource holds). */
  static Result refused(Prior prior, Verdict verdict, EventReason event, long generation, Instant now) {
    ServerlessDataStackStatus next = copy(prior.status());
    next.setObservedGeneration(generation);
    Findings findings = new Findings(List.of(), prior.adopted(), carried(prior, ConditionTypes.DRIFTED),
        carried(prior, ConditionTypes.EXPORTED));
    next.setConditions(StatusConditions.derive(prior.conditions(), verdict, findings, generation, now));
    List<Announcement> events = isNew(prior, verdict) ? List.of(new Announcement(event, verdict.message()))
        : List.of();
    return new Result(next, verdict, events);
  }

  /**
   * A pass that failed on a transient fault: only {@code ACK.Recoverable} changes, announced when the fault is not
   * the one already reported.
   */
  static Result fault(Prior prior, Verdict verdict, long generation, Instant now) {
    ServerlessDataStackStatus next = copy(prior.status());
    boolean repeated = prior.condition(ConditionTypes.RECOVERABLE)
        .filter(c -> verdict.reason().equals(c.getReason()) && verdict.message().equals(c.getMessage())).isPresent();
    next.setConditions(StatusConditions.derive(prior.conditions(), verdict, Findings.NONE, generation, now));
    List<Announcement> events = repeated ? List.of() : List.of(new Announcement(EventReason.AwsError,
        verdict.reason() + ": " + verdict.message() + " (retrying with backoff)"));
    return new Result(next, verdict, events);
  }

  static Result report(Pass pass) {
    Target target = pass.target();
    Prior prior = pass.prior();
    Observation observed = pass.observed();
    ServerlessDataStackStatus next = copy(prior.status());
    List<Announcement> events = new ArrayList<>();
    next.setObservedGeneration(target.generation());
    next.setStackName(target.stackName());

    boolean owned = observed.stack().isPresent() && (target.steering().adopt() || prior.adopted()
        || Planner.owned(target, prior, observed));
    Optional<StackSummary> reported = observed.stack().filter(s -> owned || target.steering().readOnly());
    reported.ifPresentOrElse(stack -> stack(next, stack, observed.described(), owned), () -> noStack(next));

    observed.changeSet().ifPresent(cs -> next.setLastChangeSet(record(prior.changeSet(), cs, target.generation())));
    settleExecution(next, prior, reported);
    if (reported.isPresent()) {
      observed.failures().filter(failures -> !failures.isEmpty()).ifPresent(failures -> next.setFailures(failures.stream()
          .map(e -> new StackFailure(e.timestamp().toString(), e.logicalId(), e.status(), e.reason().orElse(null)))
          .toList()));
    }

    DriftStatus drift = reported.isEmpty() ? DriftStatus.notChecked()
        : DriftState.observed(prior.drift(), observed.drift(), pass.now());
    Verdict verdict = pass.decision().verdict();
    Outcome.Stack outcome = pass.outcome().stack();
    if (outcome instanceof Outcome.Stack.Planned planned) {
      ChangeSet cs = planned.changeSet();
      // a plan that found its change set made already gets it described, changes included
      next.setLastChangeSet(new ChangeSetStatus(cs.name(), cs.id(), planned.type().name(), target.generation(),
          cs.status(), cs.statusReason().orElse(null), cs.executionStatus(),
          cs.changes().stream().limit(MAX_CHANGES).map(StatusReport::planned).toList(),
          DriftState.time(cs.creationTime().orElse(pass.now())), parameterChanges(target, planned.type(),
              observed.described())));
      if (planned.type() == PlanRequest.Type.CREATE && cs.stackId() != null) {
        // the id our own create returned: recorded before anything else could, it proves the new stack is ours; the
        // stack now exists, holding the change set
        next.setStackId(cs.stackId());
        next.setStackStatus(StackStatus.REVIEW_IN_PROGRESS.name());
      }
      if (planned.afterOutOfBandDeletion()) {
        events.add(new Announcement(EventReason.StackDeletedOutOfBand, "stack " + target.stackName()
            + " was deleted without the operator; creating it again"));
      }
      events.add(new Announcement(EventReason.ChangeSetCreated, "planned " + (planned.revertDrift()
          ? "drift-reverting " : "") + "change set " + cs.name() + " (" + planned.type() + ") for stack "
          + target.stackName()));
    } else if (outcome instanceof Outcome.Stack.Executed executed) {
      next.setSpecHash(target.hash());
      if (target.steering().approval().filter(executed.changeSetName()::equals).isPresent()) {
        next.setLastApproval(executed.changeSetName());
      }
      next.setLastChangeSet(next.getLastChangeSet().withExecutionStatus(ChangeSet.EXECUTE_IN_PROGRESS));
      List<ImportedResource> imported = next.getLastChangeSet().changes().stream()
          .filter(c -> Change.IMPORT.equals(c.action()) && Planner.DATA_TYPES.contains(c.resourceType()))
          .map(c -> new ImportedResource(c.logicalId(), c.resourceType(), c.physicalId(), executed.changeSetName()))
          .toList();
      if (!imported.isEmpty()) {
        List<ImportedResource> all = new ArrayList<>(next.getImportedResources());
        all.addAll(imported);
        next.setImportedResources(all.subList(Math.max(0, all.size() - MAX_IMPORTED), all.size()));
        events.add(new Announcement(EventReason.ImportedRetainedData, "change set " + executed.changeSetName()
            + " imports " + imported.stream().map(i -> i.resourceType() + " " + i.physicalId())
                .collect(java.util.stream.Collectors.joining(" and "))
            + ", retained from an earlier stack, into stack " + target.stackName()));
      }
      if (executed.revertDrift()) {
        drift = DriftState.reverting(drift, executed.changeSetName());
        events.add(new Announcement(EventReason.RevertingDrift, drift.message()));
      } else {
        events.add(new Announcement(EventReason.Executing, "executing change set " + executed.changeSetName()
            + executed.summary()));
      }
    } else if (outcome instanceof Outcome.Stack.AcceptedNoChanges accepted) {
      next.setSpecHash(target.hash());
      next.setLastChangeSet(next.getLastChangeSet().withState(ChangeSet.DELETED, accepted.reason(),
          next.getLastChangeSet().executionStatus()));
      if (accepted.revertDrift()) {
        drift = DriftState.notReverted(drift, accepted.changeSetName(), accepted.reason());
        events.add(new Announcement(EventReason.RevertFailed, drift.message()));
      } else {
        events.add(new Announcement(EventReason.NoChanges, "change set " + accepted.changeSetName()
            + " changes nothing: stack " + target.stackName() + " already matches the spec"));
      }
    } else if (outcome instanceof Outcome.Stack.RecordedExecuted) {
      next.setSpecHash(target.hash());
    } else if (outcome instanceof Outcome.Stack.ChangeSetGone gone) {
      next.setLastChangeSet(next.getLastChangeSet().withExecutionStatus("OBSOLETE"));
      verdict = Verdict.progressing("Planning", "change set " + gone.changeSetName() + " can no longer be executed ("
          + gone.error().describe() + "); planning it again");
      events.add(new Announcement(EventReason.ChangeSetObsolete, verdict.message()));
    } else if (outcome instanceof Outcome.Stack.Deleted deleted) {
      next.setStackStatus("DELETE_IN_PROGRESS");
      events.add(new Announcement(EventReason.RecreatingStack, "deleting stack " + target.stackName() + " ("
          + deleted.stackStatus() + ") to create it again"));
    } else if (outcome instanceof Outcome.Stack.ContinuedRollback) {
      // what CloudFormation enters at once: the next pass describes the stack rather than repeat the request
      next.setStackStatus("UPDATE_ROLLBACK_IN_PROGRESS");
      events.add(new Announcement(EventReason.ContinuingRollback, "stack " + target.stackName()
          + " was stuck in UPDATE_ROLLBACK_FAILED; continuing the rollback"));
    }

    if (outcome instanceof Outcome.Stack.Rejected rejected) {
      var error = rejected.error();
      Rejection rejection = new Rejection(error.operation(), error.errorCode(), error.getMessage(),
          DriftState.time(pass.now()), target.generation(),
          observed.stack().map(s -> s.changedAt().toString()).orElse(null));
      next.setRejection(rejection);
      verdict = Planner.rejected(rejection);
      events.add(new Announcement(EventReason.Rejected, verdict.message()));
    } else if (!(pass.decision().action() instanceof Action.None) || verdict.state() == Verdict.State.SYNCED) {
      // a write went out and was taken, or nothing is to be written: the refusal is history
      next.setRejection(null);
    }

    Outcome.Drift started = pass.outcome().drift();
    String request = target.steering().checkDrift().orElse(drift.checkRequest());
    if (started instanceof Outcome.Drift.Started s) {
      // the stack's last completed check as CloudFormation has it now: the detection has completed once it is later
      String checkedBefore = observed.stack().flatMap(st -> st.drift().lastChecked()).map(Instant::toString)
          .orElse(null);
      boolean asked = target.steering().checkDrift().filter(r -> !r.equals(prior.drift().checkRequest())).isPresent();
      drift = drift.started(s.detectionId(), DriftState.time(s.at()), request, checkedBefore, asked);
    } else if (started instanceof Outcome.Drift.Failed failed) {
      drift = DriftState.callFailed(drift, failed.error(), request, pass.now());
    }
    next.setDrift(DriftState.reported(drift) || drift.detectionId() != null ? drift : null);
    events.addAll(driftEvents(prior.drift(), drift));

    if (verdict.state() == Verdict.State.SYNCED && observed.failures().isEmpty()) {
      next.setFailures(List.of());
    }
    next.setExports(pass.export().exports());

    boolean adopted = prior.adopted() || target.steering().adopt() && observed.described()
        .filter(d -> !Planner.owns(target.ownerUid(), prior.stackId(), d)).isPresent();
    if (adopted && !prior.adopted()) {
      events.add(new Announcement(EventReason.Adopted, "took over stack " + target.stackName()
          + " (" + Annotations.ADOPTION_POLICY + "=adopt)"));
    }
    Optional<Part> drifted = next.getDrift() != null && DriftState.reported(drift)
        ? Optional.of(new Part(DriftState.conditionStatus(drift), DriftState.conditionReason(drift), drift.message()))
        : Optional.empty();
    Optional<Part> exported = pass.export().condition().map(r -> new Part(r.status(), r.reason(), r.message()));
    next.setConditions(StatusConditions.derive(prior.conditions(), verdict,
        new Findings(pass.advisories(), adopted, drifted, exported), target.generation(), pass.now()));

    next.setPendingChangeSet(verdict.reason().equals(Planner.AWAITING_APPROVAL) ? next.getLastChangeSet() : null);
    events.addAll(approvalEvents(target, prior, next, verdict));

    Verdict reportedVerdict = verdict;
    if (isNew(prior, verdict) && !(outcome instanceof Outcome.Stack.Rejected)) {
      pass.decision().announce().ifPresent(reason -> events.add(new Announcement(reason, reportedVerdict.message())));
    }
    events.addAll(advisoryEvents(prior, pass.advisories()));
    events.addAll(exportEvents(prior, pass.export()));
    return new Result(next, verdict, events);
  }

  /** The stack as observed: its identity (the id only for a stack the resource owns), status and outputs. */
  private static void stack(ServerlessDataStackStatus status, StackSummary stack, Optional<Stack> described,
      boolean owned) {
    if (owned) {
      status.setStackId(stack.id());
    }
    status.setStackStatus(stack.status().name());
    status.setStackStatusReason(stack.statusReason().orElse(null));
    status.setStackLastUpdatedTime(stack.changedAt().toString());
    status.setAckResourceMetadata(new AckResourceMetadata(stack.id(), accountOf(stack.id()), REGION));
    described.ifPresent(d -> status.setOutputs(d.outputs()));
  }

  /** No stack (or none the resource may report): nothing of a stack stays in the status but the id it owned. */
  private static void noStack(ServerlessDataStackStatus status) {
    status.setStackStatus(null);
    status.setStackStatusReason(null);
    status.setStackLastUpdatedTime(null);
    status.setAckResourceMetadata(null);
    status.setOutputs(null);
    status.setFailures(null);
  }

  /**
   * The events of the approval gate: one when a new plan starts to wait, and a warning when the approval names a
   * change set that is not waiting (once for each such approval and plan).
   */
  private static List<Announcement> approvalEvents(Target target, Prior prior, ServerlessDataStackStatus next,
      Verdict verdict) {
    ChangeSetStatus pending = next.getPendingChangeSet();
    if (pending == null) {
      return List.of();
    }
    List<Announcement> events = new ArrayList<>();
    ChangeSetStatus before = prior.status().getPendingChangeSet();
    if (before == null || !before.name().equals(pending.name())) {
      events.add(new Announcement(EventReason.AwaitingApproval, verdict.message()));
    }
    boolean said = prior.condition(ConditionTypes.SYNCED).filter(c -> verdict.message().equals(c.getMessage()))
        .isPresent();
    Planner.staleApproval(target, prior, pending.name()).filter(stale -> !said).ifPresent(stale ->
        events.add(new Announcement(EventReason.StaleApproval, "ignored the approval " + Annotations.APPROVE + "="
            + stale + ": no such change set waits; the one waiting is " + pending.name() + " ("
            + Planner.approveCommand(target, pending.name()) + ")")));
    return events;
  }

  /**
   * The stack parameters an update gives new values: the rendered ones against the stack's, when this pass
   * described it. A new stack has no values before, so its plan lists none (every resource is an Add).
   */
  static List<ParameterChange> parameterChanges(Target target, PlanRequest.Type type, Optional<Stack> described) {
    if (type != PlanRequest.Type.UPDATE || described.isEmpty()) {
      return List.of();
    }
    Map<String, String> before = described.get().parameters();
    return target.rendered().parameters().entrySet().stream()
        .filter(p -> !p.getValue().equals(before.get(p.getKey())))
        .map(p -> new ParameterChange(p.getKey(), before.get(p.getKey()), p.getValue()))
        .toList();
  }

  /** The recorded change set as described now: its status and the changes it plans. */
  private static ChangeSetStatus record(Optional<ChangeSetStatus> recorded, ChangeSet observed, long generation) {
    List<PlannedChange> changes = observed.changes().stream().limit(MAX_CHANGES)
        .map(StatusReport::planned)
        .toList();
    ChangeSetStatus base = recorded.filter(cs -> cs.name().equals(observed.name()))
        .orElseGet(() -> new ChangeSetStatus(observed.name(), observed.id(), null, generation, null, null, null, null));
    ChangeSetStatus described = base.withState(observed.status(), observed.statusReason().orElse(null),
        observed.executionStatus()).withChanges(changes);
    return observed.creationTime().map(DriftState::time).map(described::withCreatedTime).orElse(described);
  }

  /**
   * An executed change set's operation ended once the stack, seen after the execution, is still: the change set
   * executed if the stack completed, else its execution failed.
   */
  private static void settleExecution(ServerlessDataStackStatus next, Prior prior, Optional<StackSummary> stack) {
    ChangeSetStatus last = next.getLastChangeSet();
    if (last == null || !ChangeSet.EXECUTE_IN_PROGRESS.equals(last.executionStatus()) || stack.isEmpty()
        || !stack.get().status().stable() || stack.get().status().awaitingCreate() || prior.describes(stack.get())) {
      return;
    }
    next.setLastChangeSet(last.withExecutionStatus(stack.get().status().complete() ? ChangeSet.EXECUTE_COMPLETE
        : ChangeSet.EXECUTE_FAILED));
  }

  private static List<Announcement> driftEvents(DriftStatus before, DriftStatus after) {
    List<Announcement> events = new ArrayList<>();
    boolean completed = DriftState.COMPLETE.equals(after.detectionStatus())
        && !Objects.equals(after.lastCheckTime(), before.lastCheckTime());
    boolean wasDrifted = DriftState.DRIFTED.equals(before.status());
    if (completed && DriftState.DRIFTED.equals(after.status())
        && (!wasDrifted || !DriftState.logicalIds(before).equals(DriftState.logicalIds(after)))) {
      events.add(new Announcement(EventReason.DriftDetected, after.message()));
    } else if (completed && DriftState.IN_SYNC.equals(after.status()) && wasDrifted) {
      events.add(new Announcement(EventReason.DriftCleared, "the drift is gone: " + after.message()));
    }
    boolean newFailure = DriftState.FAILED.equals(after.detectionStatus())
        && (!DriftState.FAILED.equals(before.detectionStatus())
            || !Objects.equals(before.detectionStartTime(), after.detectionStartTime())
                && Objects.requireNonNullElse(after.failedAttempts(), 0) <= 1);
    if (newFailure) {
      events.add(new Announcement(EventReason.DriftDetectionFailed, after.message()));
    }
    return events;
  }

  private static List<Announcement> advisoryEvents(Prior prior, List<String> advisories) {
    String before = prior.condition(ConditionTypes.ADVISORY).map(Condition::getMessage).orElse("");
    return advisories.stream()
        .filter(a -> !before.contains(a))
        .filter(a -> a.startsWith("runtime "))
        .map(a -> new Announcement(EventReason.DeprecatedRuntime, a))
        .toList();
  }

  private static List<Announcement> exportEvents(Prior prior, OutputExporter.Export export) {
    List<Announcement> events = new ArrayList<>();
    export.done().ifPresent(done -> events.add(new Announcement(EventReason.Exported, done)));
    export.condition().filter(OutputExporter.Report::failed).ifPresent(report -> {
      boolean known = prior.condition(ConditionTypes.EXPORTED)
          .filter(c -> report.message().equals(c.getMessage())).isPresent();
      if (!known) {
        events.add(new Announcement(switch (report.reason()) {
          case "ExportConflict" -> EventReason.ExportConflict;
          case "ExportRefused" -> EventReason.ExportRefused;
          default -> EventReason.ExportFailed;
        }, report.message()));
      }
    });
    return events;
  }

  /** Whether the verdict changes what the resource reports (its reason), or ends a transient fault. */
  private static boolean isNew(Prior prior, Verdict verdict) {
    String previous = prior.condition(ConditionTypes.SYNCED).map(Condition::getReason).orElse("");
    return !verdict.reason().equals(previous) || prior.condition(ConditionTypes.RECOVERABLE).isPresent();
  }

  private static Optional<Part> carried(Prior prior, String type) {
    return prior.condition(type).map(c -> new Part(c.getStatus(), c.getReason(), c.getMessage()));
  }

  /** A change as the status records it. */
  static PlannedChange planned(Change change) {
    return new PlannedChange(change.action(), change.logicalId(), change.resourceType(),
        change.replacement().orElse(null), change.physicalId().orElse(null), change.properties());
  }

  /** The account id in {@code arn:aws:cloudformation:us-east-1:123456789012:stack/...}. */
  static String accountOf(String arn) {
    String[] parts = arn.split(":");
    return parts.length > 4 ? parts[4] : null;
  }

  /** A deep copy: the new status never shares a mutable part with the one the pass began with. */
  static ServerlessDataStackStatus copy(ServerlessDataStackStatus status) {
    return JSON.convertValue(status, ServerlessDataStackStatus.class);
  }
}
