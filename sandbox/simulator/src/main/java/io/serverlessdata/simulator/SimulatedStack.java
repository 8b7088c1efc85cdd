package io.serverlessdata.simulator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One simulated stack and its lifecycle. An operation sets the first status at once and schedules the
 * rest on the simulator's clock; {@link #advance} applies whatever is due, so the stack moves lazily,
 * request by request, without threads:
 *
 * <ul>
 *   <li>create: {@code REVIEW_IN_PROGRESS} (only a CREATE change set) → {@code CREATE_IN_PROGRESS} →
 *       {@code CREATE_COMPLETE}, or on a failed resource {@code ROLLBACK_IN_PROGRESS} →
 *       {@code ROLLBACK_COMPLETE} ({@code ROLLBACK_FAILED})
 *   <li>update: {@code UPDATE_IN_PROGRESS} → {@code UPDATE_COMPLETE_CLEANUP_IN_PROGRESS} →
 *       {@code UPDATE_COMPLETE}, or {@code UPDATE_ROLLBACK_IN_PROGRESS} →
 *       {@code UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS} → {@code UPDATE_ROLLBACK_COMPLETE}
 *       ({@code UPDATE_ROLLBACK_FAILED}, left by ContinueUpdateRollback)
 *   <li>delete: {@code DELETE_IN_PROGRESS} → {@code DELETE_COMPLETE} ({@code DELETE_FAILED})
 * </ul>
 */
final class SimulatedStack {

  static final String STACK_TYPE = "AWS::CloudFormation::Stack";
  static final String REVIEW_IN_PROGRESS = "REVIEW_IN_PROGRESS";
  static final String DELETE_COMPLETE = "DELETE_COMPLETE";
  /** Statuses an UPDATE change set can be created for and executed in. */
  private static final Set<String> UPDATABLE = Set.of("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE",
      "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE");
  private static final String USER_INITIATED = "User Initiated";
  static final String API_KEY_TYPE = "AWS::ApiGateway::ApiKey";

  /** A stack event, as DescribeStackEvents lists it. */
  record Event(String eventId, Instant timestamp, String logicalId, String physicalId, String resourceType,
      String status, Optional<String> reason, Optional<String> clientRequestToken) {}

  private record Transition(Instant at, Consumer<Instant> effect) {}

  private final String name;
  private final String id;
  /** Creation order in the account: ListStacks lists newest first and pages by it. */
  private final long sequence;
  private final Instant creationTime;
  private final Random random;
  private final Timings timings;
  private final Faults faults;
  private String status;
  private Optional<String> statusReason = Optional.empty();
  private Optional<Instant> lastUpdatedTime = Optional.empty();
  private Optional<Instant> deletionTime = Optional.empty();
  private Optional<Deployment> deployment = Optional.empty();
  private boolean terminationProtection;
  private String lastFailedResource;
  private final Map<String, String> physicalIds = new TreeMap<>();
  private final Map<String, String> outputs = new TreeMap<>();
  /** API Gateway's view of the stack's API keys, by physical id; stale entries answer nothing. */
  private final Map<String, ApiKey> apiKeys = new TreeMap<>();
  private final List<Event> events = new ArrayList<>();
  private final Map<String, SimulatedChangeSet> changeSets = new LinkedHashMap<>();
  private final Deque<Transition> transitions = new ArrayDeque<>();
  private final SimulatedDrift drift = new SimulatedDrift();
  private String driftStatus = "NOT_CHECKED";
  private Optional<Instant> lastDriftCheck = Optional.empty();
  private List<SimulatedDrift.Found> driftFound = List.of();

  /** A new stack holding nothing but (soon) a CREATE change set: {@code REVIEW_IN_PROGRESS}. */
  SimulatedStack(String name, long sequence, Instant now, Timings timings, Faults faults) {
    UUID uuid = UUID.randomUUID();
    this.name = name;
    this.sequence = sequence;
    this.id = "arn:aws:cloudformation:" + SimulatedCloudFormation.REGION + ":" + SimulatedCloudFormation.ACCOUNT_ID
        + ":stack/" + name + "/" + uuid;
    this.creationTime = now;
    this.random = new Random(uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits());
    this.timings = timings;
    this.faults = faults;
    enter(REVIEW_IN_PROGRESS, USER_INITIATED, now, Optional.empty());
  }

  String name() {
    return name;
  }

  String id() {
    return id;
  }

  String status() {
    return status;
  }

  long sequence() {
    return sequence;
  }

  /** When the stack reached {@code DELETE_COMPLETE}. */
  Optional<Instant> deletionTime() {
    return deletionTime;
  }

  Optional<String> statusReason() {
    return statusReason;
  }

  Instant creationTime() {
    return creationTime;
  }

  Optional<Instant> lastUpdatedTime() {
    return lastUpdatedTime;
  }

  Optional<Deployment> deployment() {
    return deployment;
  }

  boolean terminationProtection() {
    return terminationProtection;
  }

  void setTerminationProtection(boolean enabled) {
    terminationProtection = enabled;
  }

  Map<String, String> physicalIds() {
    return Collections.unmodifiableMap(physicalIds);
  }

  Map<String, String> outputs() {
    return Collections.unmodifiableMap(outputs);
  }

  boolean deleted() {
    return DELETE_COMPLETE.equals(status);
  }

  /**
   * {@code NOT_CHECKED} until a detection finished, then what the last one found: {@code IN_SYNC}, {@code DRIFTED},
   * or {@code UNKNOWN} after a detection that failed ("CloudFormation could not run drift detection for a resource
   * in the stack", StackDriftInformationSummary,
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackDriftInformationSummary.html).
   */
  String driftStatus() {
    return driftStatus;
  }

  /**
   * The {@code LastCheckTimestamp} of DescribeStacks and ListStacks: "Most recent time when a drift detection
   * operation was initiated on the stack" (StackDriftInformation,
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackDriftInformation.html), so its value
   * is when the last finished detection started; it changes when that detection finishes, with its result.
   */
  Optional<Instant> lastDriftCheck() {
    return lastDriftCheck;
  }

  /** What the last finished detection found. */
  List<SimulatedDrift.Found> driftFound() {
    return driftFound;
  }

  /** Someone sets a resource's property outside CloudFormation; an empty value removes it. */
  void modifyOutOfBand(String logicalId, String path, Optional<String> actual) {
    drift.modify(live(logicalId), path, actual);
  }

  /** Someone deletes one of the stack's resources outside CloudFormation. */
  void deleteResourceOutOfBand(String logicalId) {
    drift.delete(live(logicalId));
  }

  /** The types of the resources that exist, by logical id. */
  Map<String, String> liveTypes() {
    Map<String, String> types = new TreeMap<>();
    deployment.ifPresent(d -> d.template().resources().values().stream()
        .filter(r -> physicalIds.containsKey(r.logicalId()))
        .forEach(r -> types.put(r.logicalId(), r.type())));
    return types;
  }

  /** The resources that drifted, for a drift-reverting change set. */
  SimulatedDrift drift() {
    return drift;
  }

  /** DetectStackDrift can look at the stack: it is not moving and has resources. */
  void checkDriftDetectable() {
    if (status.endsWith("_IN_PROGRESS") || deployment.isEmpty() || deleted()) {
      throw SimulatorException.validation(
          "Drift detection is not supported for stack [" + name + "] in status " + status);
    }
  }

  /** What a detection started now finds: the drifted resources, compared with the template's values. */
  List<SimulatedDrift.Found> detectDrift() {
    Deployment running = deployment.orElseThrow();
    Intrinsics intrinsics = intrinsics(running);
    Map<String, Map<String, Object>> expected = new TreeMap<>();
    Map<String, String> types = new TreeMap<>();
    running.template().resources().values().stream()
        .filter(r -> physicalIds.containsKey(r.logicalId()))
        .forEach(r -> {
          expected.put(r.logicalId(), intrinsics.resolveProperties(r.properties()));
          types.put(r.logicalId(), r.type());
        });
    return drift.detect(expected, types, physicalIds);
  }

  /**
   * A detection finished: what DescribeStacks, ListStacks and DescribeStackResourceDrifts report from now on.
   *
   * @param startedAt when the detection was initiated (its {@code Timestamp})
   */
  void driftChecked(List<SimulatedDrift.Found> found, Instant startedAt) {
    driftFound = List.copyOf(found);
    driftStatus = found.isEmpty() ? "IN_SYNC" : "DRIFTED";
    lastDriftCheck = Optional.of(startedAt);
  }

  /**
   * A detection failed ({@code DETECTION_FAILED}): the stack's drift status is {@code UNKNOWN} (see
   * {@link #driftStatus}) and its last check time is that detection's start, as for any detection initiated; no
   * resource was checked, so DescribeStackResourceDrifts reports none.
   */
  void driftCheckFailed(Instant startedAt) {
    driftFound = List.of();
    driftStatus = "UNKNOWN";
    lastDriftCheck = Optional.of(startedAt);
  }

  /** Every event of the stack, oldest first. */
  List<Event> events() {
    return Collections.unmodifiableList(events);
  }

  /** Applies every scheduled transition that is due at {@code now}, each at its own time. */
  void advance(Instant now) {
    while (!transitions.isEmpty() && !transitions.peek().at().isAfter(now)) {
      Transition next = transitions.poll();
      next.effect().accept(next.at());
    }
  }

  Optional<SimulatedChangeSet> changeSet(String nameOrId) {
    return changeSets.values().stream()
        .filter(c -> c.name().equals(nameOrId) || c.id().equals(nameOrId))
        .findFirst();
  }

  void addChangeSet(SimulatedChangeSet changeSet) {
    changeSets.put(changeSet.name(), changeSet);
  }

  void removeChangeSet(SimulatedChangeSet changeSet) {
    changeSets.remove(changeSet.name());
  }

  /** Refuses an UPDATE change set unless the stack is stable and not failed. */
  void checkUpdatable() {
    if (!UPDATABLE.contains(status)) {
      throw SimulatorException.validation("Stack:" + id + " is in " + status + " state and can not be updated.");
    }
  }

  /** Executes a computed change set: creates the stack from {@code REVIEW_IN_PROGRESS} or updates it. */
  void execute(SimulatedChangeSet changeSet, Optional<String> token, Instant now) {
    boolean creating = REVIEW_IN_PROGRESS.equals(status);
    if (creating != "CREATE".equals(changeSet.type())) {
      throw SimulatorException.validation("Stack:" + id + " is in " + status + " state and can not be updated.");
    }
    if (!creating) {
      checkUpdatable();
    }
    changeSets.values().removeIf(other -> other != changeSet);
    changeSet.executing(token);
    Optional<Deployment> previous = deployment;
    deployment = Optional.of(changeSet.deployment());
    Set<String> touched = changeSet.plan().changes().stream()
        .map(ChangeCalculator.ResourceChange::logicalId).collect(Collectors.toSet());
    Optional<Faults.ResourceFailure> failure = faults.takeResourceFailure(name, touched);
    if (creating) {
      create(changeSet, failure, token, now);
    } else {
      update(changeSet, previous, failure, token, now);
    }
  }

  /**
   * Starts deleting the stack; deleting it again while it is being deleted changes nothing.
   *
   * @throws SimulatorException when termination protection is on or another operation is running
   */
  void delete(Optional<String> token, Instant now) {
    if ("DELETE_IN_PROGRESS".equals(status)) {
      return;
    }
    if (terminationProtection) {
      throw SimulatorException.validation(
          "Stack [" + name + "] cannot be deleted while TerminationProtection is enabled");
    }
    if (status.endsWith("_IN_PROGRESS") && !REVIEW_IN_PROGRESS.equals(status)) {
      throw SimulatorException.validation("Stack [" + name + "] cannot be deleted while in status " + status);
    }
    changeSets.clear();
    enter("DELETE_IN_PROGRESS", USER_INITIATED, now, token);
    Instant done = now.plus(timings.delete());
    Optional<Faults.ResourceFailure> failure = faults.takeDeleteFailure(physicalIds.keySet());
    if (failure.isPresent()) {
      Faults.ResourceFailure f = failure.get();
      at(done, t -> {
        resourceEvent(f.logicalId(), "DELETE_FAILED", f.reason(), t, token);
        enter("DELETE_FAILED", "The following resource(s) failed to delete: [" + f.logicalId() + "]. ", t, token);
      });
    } else {
      at(done, t -> gone(t, token));
    }
  }

  /** Deleted by someone else (console, another tool): gone at once, whatever it was doing. */
  void deleteOutOfBand(Instant now) {
    transitions.clear();
    changeSets.clear();
    enter("DELETE_IN_PROGRESS", USER_INITIATED, now, Optional.empty());
    gone(now, Optional.empty());
  }

  /** ContinueUpdateRollback: finishes a rollback that failed. */
  void continueUpdateRollback(Instant now) {
    if (!"UPDATE_ROLLBACK_FAILED".equals(status)) {
      throw SimulatorException.validation("ContinueUpdateRollback cannot be called from current stack status.");
    }
    enter("UPDATE_ROLLBACK_IN_PROGRESS", USER_INITIATED, now, Optional.empty());
    rollBackUpdate(now, lastFailedResource, Optional.empty());
  }

  private void create(SimulatedChangeSet changeSet, Optional<Faults.ResourceFailure> failure, Optional<String> token,
      Instant now) {
    enter("CREATE_IN_PROGRESS", USER_INITIATED, now, token);
    Instant done = now.plus(timings.create());
    if (failure.isEmpty()) {
      at(done, t -> {
        provision(changeSet.plan());
        enter("CREATE_COMPLETE", null, t, token);
        changeSet.executed(true);
      });
      return;
    }
    Faults.ResourceFailure f = failure.get();
    lastFailedResource = f.logicalId();
    at(done, t -> {
      resourceEvent(f.logicalId(), "CREATE_FAILED", f.reason(), t, token);
      enter("ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [" + f.logicalId()
          + "]. Rollback requested by user.", t, token);
      changeSet.executed(false);
    });
    Instant rolledBack = done.plus(timings.rollback());
    if (faults.takeRollbackFailure()) {
      at(rolledBack, t -> {
        resourceEvent(f.logicalId(), "DELETE_FAILED", rollbackFailure(f.logicalId()), t, token);
        enter("ROLLBACK_FAILED", "The following resource(s) failed to delete: [" + f.logicalId() + "]. ", t, token);
      });
    } else {
      at(rolledBack, t -> {
        physicalIds.clear();
        enter("ROLLBACK_COMPLETE", null, t, token);
      });
    }
  }

  private void update(SimulatedChangeSet changeSet, Optional<Deployment> previous,
      Optional<Faults.ResourceFailure> failure, Optional<String> token, Instant now) {
    lastUpdatedTime = Optional.of(now);
    enter("UPDATE_IN_PROGRESS", USER_INITIATED, now, token);
    Instant done = now.plus(timings.update());
    if (failure.isEmpty()) {
      at(done, t -> {
        provision(changeSet.plan());
        drift.clear(changeSet.revertsDrift()
            ? changeSet.plan().changes().stream().map(ChangeCalculator.ResourceChange::logicalId).toList()
            : recreated(changeSet.plan()));
        enter("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null, t, token);
      });
      at(done.plus(timings.cleanup()), t -> {
        enter("UPDATE_COMPLETE", null, t, token);
        changeSet.executed(true);
      });
      return;
    }
    Faults.ResourceFailure f = failure.get();
    lastFailedResource = f.logicalId();
    boolean created = changeSet.plan().changes().stream()
        .anyMatch(c -> c.logicalId().equals(f.logicalId())
            && ("Add".equals(c.action()) || c.replacement().filter("True"::equals).isPresent()));
    at(done, t -> {
      resourceEvent(f.logicalId(), created ? "CREATE_FAILED" : "UPDATE_FAILED", f.reason(), t, token);
      deployment = previous;
      enter("UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to " + (created ? "create" : "update")
          + ": [" + f.logicalId() + "]. ", t, token);
      changeSet.executed(false);
    });
    rollBackUpdate(done, f.logicalId(), token);
  }

  private void rollBackUpdate(Instant start, String failedResource, Optional<String> token) {
    Instant rolledBack = start.plus(timings.rollback());
    if (faults.takeRollbackFailure()) {
      at(rolledBack, t -> {
        resourceEvent(failedResource, "UPDATE_FAILED", rollbackFailure(failedResource), t, token);
        enter("UPDATE_ROLLBACK_FAILED", "The following resource(s) failed to update: [" + failedResource + "]. ", t,
            token);
      });
      return;
    }
    at(rolledBack, t -> enter("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", null, t, token));
    at(rolledBack.plus(timings.cleanup()), t -> enter("UPDATE_ROLLBACK_COMPLETE", null, t, token));
  }

  /** Gives added and replaced resources new physical ids, drops removed ones, and resolves the outputs. */
  private void provision(ChangeCalculator.Plan plan) {
    Deployment running = deployment.orElseThrow();
    Set<String> recreated = recreated(plan);
    plan.changes().stream().filter(c -> "Remove".equals(c.action())).forEach(c -> physicalIds.remove(c.logicalId()));
    Intrinsics intrinsics = intrinsics(running);
    for (String logicalId : running.template().order()) {
      if (recreated.contains(logicalId) || !physicalIds.containsKey(logicalId)) {
        assignPhysicalId(running, intrinsics, logicalId);
      }
    }
    resolveOutputs(running, intrinsics);
  }

  /**
   * Replaces every API key of the stack, as when the key resource is recreated: a new physical id (so a new
   * {@code ApiKeyId} output) and a new value; the old key is gone.
   *
   * @throws IllegalStateException when the stack is not stable or has no API key
   */
  void rotateApiKeys() {
    if (!status.endsWith("_COMPLETE") || deleted()) {
      throw new IllegalStateException("stack " + name + " is " + status + ": its API key cannot be replaced now");
    }
    Deployment running = deployment.orElseThrow();
    Intrinsics intrinsics = intrinsics(running);
    List<String> keys = running.template().order().stream()
        .filter(logicalId -> API_KEY_TYPE.equals(running.template().resources().get(logicalId).type()))
        .toList();
    if (keys.isEmpty()) {
      throw new IllegalStateException("stack " + name + " has no " + API_KEY_TYPE);
    }
    keys.forEach(logicalId -> assignPhysicalId(running, intrinsics, logicalId));
    resolveOutputs(running, intrinsics);
  }

  /** The API key with this physical id, while it is one of the stack's resources. */
  Optional<ApiKey> apiKey(String physicalId) {
    return Optional.ofNullable(apiKeys.get(physicalId)).filter(k -> physicalIds.containsValue(physicalId));
  }

  private void assignPhysicalId(Deployment running, Intrinsics intrinsics, String logicalId) {
    SimulatedTemplate.Resource resource = running.template().resources().get(logicalId);
    Map<String, Object> properties = intrinsics.resolveProperties(resource.properties());
    String physicalId = PhysicalIds.create(name, logicalId, resource.type(), properties, random);
    String previous = physicalIds.put(logicalId, physicalId);
    if (API_KEY_TYPE.equals(resource.type())) {
      if (previous != null) {
        apiKeys.remove(previous);
      }
      apiKeys.put(physicalId, new ApiKey(physicalId, ApiKey.newValue(),
          properties.get("Name") instanceof String keyName ? keyName : physicalId, lastUpdatedTime.orElse(creationTime)));
    }
  }

  /** Intrinsics resolved against the resources that exist now. */
  private Intrinsics intrinsics(Deployment running) {
    Map<String, SimulatedTemplate.Resource> resources = running.template().resources();
    return new Intrinsics(running.parameters(), name, id, new Intrinsics.ResourceValues() {
      @Override
      public Object ref(String logicalId) {
        return physicalIds.get(logicalId);
      }

      @Override
      public Object attribute(String logicalId, String attribute) {
        return PhysicalIds.attribute(resources.get(logicalId).type(), physicalIds.get(logicalId), attribute);
      }
    });
  }

  private void resolveOutputs(Deployment running, Intrinsics intrinsics) {
    outputs.clear();
    running.template().outputs().values().forEach(o -> outputs.put(o.name(), intrinsics.resolveText(o.value())));
  }

  private static Set<String> recreated(ChangeCalculator.Plan plan) {
    return plan.changes().stream()
        .filter(c -> "Add".equals(c.action()) || c.replacement().filter("True"::equals).isPresent())
        .map(ChangeCalculator.ResourceChange::logicalId)
        .collect(Collectors.toSet());
  }

  private String live(String logicalId) {
    if (!physicalIds.containsKey(logicalId)) {
      throw new IllegalArgumentException("stack " + name + " has no resource " + logicalId
          + (physicalIds.isEmpty() ? "" : "; it has " + String.join(", ", physicalIds.keySet())));
    }
    return logicalId;
  }

  private void gone(Instant at, Optional<String> token) {
    drift.clear(physicalIds.keySet());
    physicalIds.clear();
    apiKeys.clear();
    outputs.clear();
    deletionTime = Optional.of(at);
    enter(DELETE_COMPLETE, null, at, token);
  }

  private static String rollbackFailure(String logicalId) {
    return "Resource handler returned message: \"" + logicalId + " could not be restored to its previous state\"";
  }

  private void at(Instant time, Consumer<Instant> effect) {
    transitions.add(new Transition(time, effect));
  }

  private void enter(String newStatus, String reason, Instant at, Optional<String> token) {
    status = newStatus;
    statusReason = Optional.ofNullable(reason);
    events.add(new Event(UUID.randomUUID().toString(), at, name, id, STACK_TYPE, newStatus, statusReason, token));
  }

  private void resourceEvent(String logicalId, String eventStatus, String reason, Instant at, Optional<String> token) {
    String type = deployment.map(d -> d.template().resources().get(logicalId))
        .map(SimulatedTemplate.Resource::type)
        .orElse("AWS::CloudFormation::CustomResource");
    events.add(new Event(UUID.randomUUID().toString(), at, logicalId, physicalIds.getOrDefault(logicalId, ""), type,
        eventStatus, Optional.of(reason), token));
  }
}
