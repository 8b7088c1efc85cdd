package io.serverlessdata.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
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
 *
 * <p>Each operation writes the stack events CloudFormation writes (the stack's {@code User Initiated} event, then
 * every resource it touches, each taking its share of the operation's time), all carrying the client request token
 * of the call that started it. Buckets and tables are claimed in the account ({@link AccountResources}) under their
 * names; DeletionPolicy and UpdateReplacePolicy decide what a deletion, removal, replacement or rollback keeps.
 */
final class SimulatedStack {

  static final String STACK_TYPE = "AWS::CloudFormation::Stack";
  static final String REVIEW_IN_PROGRESS = "REVIEW_IN_PROGRESS";
  static final String DELETE_COMPLETE = "DELETE_COMPLETE";
  /** Statuses an UPDATE change set can be created for and executed in. */
  private static final Set<String> UPDATABLE = Set.of("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE",
      "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE");
  private static final String USER_INITIATED = "User Initiated";
  private static final String CREATION_INITIATED = "Resource creation Initiated";
  private static final String REPLACEMENT_REQUIRED =
      "Requested update requires the creation of a new physical resource; hence creating one.";
  static final String API_KEY_TYPE = "AWS::ApiGateway::ApiKey";

  /** A stack event, as DescribeStackEvents lists it. */
  record Event(String eventId, Instant timestamp, String logicalId, String physicalId, String resourceType,
      String status, Optional<String> reason, Optional<String> clientRequestToken) {}

  /** An effect due at a time; effects due at the same time apply in the order they were scheduled. */
  private record Transition(Instant at, long order, Consumer<Instant> effect) {}

  private final String name;
  private final String id;
  /** Creation order in the account: ListStacks lists newest first and pages by it. */
  private final long sequence;
  private final Instant creationTime;
  private final Random random;
  private final Timings timings;
  private final Faults faults;
  private final AccountResources account;
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
  private final PriorityQueue<Transition> transitions = new PriorityQueue<>(
      Comparator.comparing(Transition::at).thenComparingLong(Transition::order));
  private long transitionsScheduled;
  private Undo undo;
  private final SimulatedDrift drift = new SimulatedDrift();
  private String driftStatus = "NOT_CHECKED";
  private Optional<Instant> lastDriftCheck = Optional.empty();
  private List<SimulatedDrift.Found> driftFound = List.of();
  private final Consumer<StackChange> changes;

  /**
   * A new stack holding nothing but (soon) a CREATE change set: {@code REVIEW_IN_PROGRESS}.
   *
   * @param changes told of every status the stack enters, at the time it enters it
   */
  SimulatedStack(String name, long sequence, Instant now, Timings timings, Faults faults, AccountResources account,
      Consumer<StackChange> changes) {
    UUID uuid = UUID.randomUUID();
    this.name = name;
    this.sequence = sequence;
    this.id = "arn:aws:cloudformation:" + SimulatedCloudFormation.REGION + ":" + SimulatedCloudFormation.ACCOUNT_ID
        + ":stack/" + name + "/" + uuid;
    this.creationTime = now;
    this.random = new Random(uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits());
    this.timings = timings;
    this.faults = faults;
    this.account = account;
    this.changes = changes;
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
    changeSet.executing();
    Optional<Deployment> previous = deployment;
    deployment = Optional.of(changeSet.deployment());
    Set<String> touched = changeSet.plan().changes().stream()
        .map(ChangeCalculator.ResourceChange::logicalId).collect(Collectors.toSet());
    Claims claims = claimPhysicalResources(changeSet, now);
    Optional<Faults.ResourceFailure> failure = claims.failure();
    if (failure.isEmpty()) {
      failure = faults.takeResourceFailure(name, touched);
    }
    // what the operation reaches before it fails is taken for this stack; nothing after the failure is
    List<String> order = changeSet.deployment().template().order();
    int stop = failure.map(f -> order.indexOf(f.logicalId())).orElse(order.size());
    for (AccountResources.Entry claim : claims.entries()) {
      if (order.indexOf(claim.logicalId.orElseThrow()) < stop) {
        claim.stackId = Optional.of(id);
        account.put(claim);
      }
    }
    if (creating) {
      create(changeSet, failure, token, now);
    } else {
      update(changeSet, previous, failure, token, now);
    }
  }

  /**
   * Claims, in the order the operation touches them, the buckets and tables it creates and the resources it
   * imports, and finds the first that cannot be had: a bucket or table whose name is taken (CloudFormation's event
   * says "{name} already exists", as for serverless/serverless#2181 and Sceptre/sceptre#424), a custom-named
   * resource that would have to be replaced under the same name ("CloudFormation cannot update a stack when a
   * custom-named resource requires replacing"), or an import whose resource is gone or belongs to a stack by now.
   * The caller takes for this stack what the operation reaches before it fails.
   */
  private record Claims(List<AccountResources.Entry> entries, Optional<Faults.ResourceFailure> failure) {}

  private Claims claimPhysicalResources(SimulatedChangeSet changeSet, Instant now) {
    Deployment next = changeSet.deployment();
    Intrinsics intrinsics = intrinsics(next);
    Map<String, ChangeCalculator.ResourceChange> changes = new LinkedHashMap<>();
    changeSet.plan().changes().forEach(c -> changes.put(c.logicalId(), c));
    List<AccountResources.Entry> claims = new ArrayList<>();
    Set<String> claimedNames = new java.util.HashSet<>();
    Optional<Faults.ResourceFailure> failure = Optional.empty();
    for (String logicalId : next.template().order()) {
      ChangeCalculator.ResourceChange change = changes.get(logicalId);
      SimulatedTemplate.Resource resource = next.template().resources().get(logicalId);
      if (change == null || !AccountResources.named(resource.type())) {
        continue;
      }
      Map<String, Object> properties = intrinsics.resolveProperties(resource.properties());
      Optional<String> custom = Optional.ofNullable(properties.get(AccountResources.nameProperty(resource.type())))
          .filter(String.class::isInstance).map(String.class::cast);
      if ("Import".equals(change.action())) {
        String physicalId = change.physicalId().orElseThrow();
        Optional<AccountResources.Entry> found = account.find(resource.type(), physicalId);
        if (found.isEmpty() || !found.get().unmanaged()) {
          failure = Optional.of(new Faults.ResourceFailure(logicalId, found.isEmpty()
              ? "Resource of type '" + resource.type() + "' with identifier '" + physicalId + "' was not found."
              : "Resource of type '" + resource.type() + "' with identifier '" + physicalId
                  + "' already belongs to a stack and cannot be imported."));
          break;
        }
        AccountResources.Entry existing = found.get();
        claims.add(new AccountResources.Entry(existing.type, existing.physicalId, existing.account, existing.created,
            existing.properties, existing.tags, Optional.empty(), Optional.of(logicalId)));
        continue;
      }
      boolean creates = "Add".equals(change.action()) || change.replacement().filter("True"::equals).isPresent();
      if (!creates || custom.isEmpty()) {
        continue;
      }
      String wanted = custom.get();
      if (!"Add".equals(change.action()) && wanted.equals(physicalIds.get(logicalId))) {
        failure = Optional.of(new Faults.ResourceFailure(logicalId, "CloudFormation cannot update a stack when a"
            + " custom-named resource requires replacing. Rename " + wanted + " and update the stack again."));
        break;
      }
      if (account.find(resource.type(), wanted).isPresent() || !claimedNames.add(resource.type() + " " + wanted)) {
        failure = Optional.of(new Faults.ResourceFailure(logicalId, wanted + " already exists"));
        break;
      }
      claims.add(new AccountResources.Entry(resource.type(), wanted, SimulatedCloudFormation.ACCOUNT_ID, now,
          properties, tagsFor(next, logicalId, properties), Optional.empty(), Optional.of(logicalId)));
    }
    return new Claims(claims, failure);
  }

  /**
   * The tags CloudFormation gives a resource it creates: the stack's tags and the stack-level tags it creates itself,
   * {@code aws:cloudformation:logical-id}, {@code stack-id} and {@code stack-name} ("The propagation of stack-level
   * tags to resources, including tags with the aws: prefix, varies by resource type",
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-resource-tags.html; every
   * type is treated as taggable here), then the resource's own {@code Tags}.
   */
  private Map<String, String> tagsFor(Deployment running, String logicalId, Map<String, Object> properties) {
    Map<String, String> tags = new TreeMap<>(running.tags());
    tags.put("aws:cloudformation:stack-name", name);
    tags.put("aws:cloudformation:stack-id", id);
    tags.put("aws:cloudformation:logical-id", logicalId);
    if (properties.get("Tags") instanceof List<?> own) {
      for (Object tag : own) {
        if (tag instanceof Map<?, ?> pair && pair.get("Key") != null) {
          tags.put(String.valueOf(pair.get("Key")), String.valueOf(pair.get("Value")));
        }
      }
    }
    return tags;
  }

  /**
   * Starts deleting the stack; deleting it again while it is being deleted, or once it is deleted (by its id),
   * changes nothing.
   *
   * @throws SimulatorException when termination protection is on or another operation is running
   */
  void delete(Optional<String> token, Instant now) {
    if ("DELETE_IN_PROGRESS".equals(status) || deleted()) {
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
    List<String> order = new ArrayList<>(deployment.map(d -> d.template().order()).orElse(List.of()));
    Collections.reverse(order);
    order.removeIf(logicalId -> !physicalIds.containsKey(logicalId));
    Optional<Faults.ResourceFailure> failure = faults.takeDeleteFailure(physicalIds.keySet());
    int failing = failure.map(f -> order.indexOf(f.logicalId())).orElse(-1);
    List<String> steps = failing < 0 ? order : order.subList(0, failing + 1);
    Instant done = now.plus(timings.delete());
    Slices slices = new Slices(now, timings.delete(), steps.size());
    for (int i = 0; i < steps.size(); i++) {
      String logicalId = steps.get(i);
      String type = type(logicalId);
      String physicalId = physicalIds.get(logicalId);
      boolean fails = i == failing;
      boolean keeps = !fails && resource(deployment, logicalId).retainedOnDelete();
      if (!keeps) {
        at(slices.start(i), t -> resourceEvent(logicalId, physicalId, type, "DELETE_IN_PROGRESS", null, t, token));
      }
      at(slices.end(i), t -> {
        if (fails) {
          resourceEvent(logicalId, physicalId, type, "DELETE_FAILED", failure.get().reason(), t, token);
          enter("DELETE_FAILED", "The following resource(s) failed to delete: [" + logicalId + "]. ", t, token);
        } else if (keeps) {
          keepResource(logicalId, physicalId, type, t, token);
        } else {
          removeResource(logicalId, physicalId, type, t, token);
        }
      });
    }
    if (failure.isEmpty()) {
      at(done, t -> gone(t, token));
    }
  }

  /**
   * Deleted by someone else in the console: gone at once, whatever it was doing, its events carrying the token the
   * console gives its operations ("Console-DeleteStack-<uuid>", ClientRequestToken in API_DeleteStack.html).
   */
  void deleteOutOfBand(Instant now) {
    transitions.clear();
    changeSets.clear();
    Optional<String> token = Optional.of("Console-DeleteStack-" + UUID.randomUUID());
    enter("DELETE_IN_PROGRESS", USER_INITIATED, now, token);
    List<String> order = new ArrayList<>(deployment.map(d -> d.template().order()).orElse(List.of()));
    Collections.reverse(order);
    for (String logicalId : order) {
      String physicalId = physicalIds.get(logicalId);
      if (physicalId != null && resource(deployment, logicalId).retainedOnDelete()) {
        keepResource(logicalId, physicalId, type(logicalId), now, token);
      } else if (physicalId != null) {
        resourceEvent(logicalId, physicalId, type(logicalId), "DELETE_IN_PROGRESS", null, now, token);
        removeResource(logicalId, physicalId, type(logicalId), now, token);
      }
    }
    gone(now, token);
  }

  /** ContinueUpdateRollback: finishes a rollback that failed, its events carrying the call's token. */
  void continueUpdateRollback(Optional<String> token, Instant now) {
    if (!"UPDATE_ROLLBACK_FAILED".equals(status)) {
      throw SimulatorException.validation("ContinueUpdateRollback cannot be called from current stack status.");
    }
    enter("UPDATE_ROLLBACK_IN_PROGRESS", USER_INITIATED, now, token);
    rollBackUpdate(now, lastFailedResource, token);
  }

  /**
   * A create as CloudFormation reports it in DescribeStackEvents (the stack's {@code User Initiated} event, then
   * per resource, in dependency order: {@code CREATE_IN_PROGRESS} without a physical id, {@code CREATE_IN_PROGRESS}
   * with it and "Resource creation Initiated", {@code CREATE_COMPLETE}), each resource taking its share of
   * {@link Timings#create()}. A resource that fails ends the create with {@code CREATE_FAILED} and its reason; the
   * rollback then deletes what was created, newest first, and the stack ends {@code ROLLBACK_COMPLETE}.
   */
  private void create(SimulatedChangeSet changeSet, Optional<Faults.ResourceFailure> failure, Optional<String> token,
      Instant now) {
    enter("CREATE_IN_PROGRESS", USER_INITIATED, now, token);
    Deployment running = deployment.orElseThrow();
    List<String> order = running.template().order();
    int failing = failure.map(f -> order.indexOf(f.logicalId())).orElse(-1);
    List<String> steps = failing < 0 ? order : order.subList(0, failing + 1);
    Instant done = now.plus(timings.create());
    Slices slices = new Slices(now, timings.create(), steps.size());
    Map<String, String> imports = imports(changeSet);
    for (int i = 0; i < steps.size(); i++) {
      String logicalId = steps.get(i);
      String type = type(logicalId);
      boolean fails = i == failing;
      if (imports.containsKey(logicalId)) {
        importStep(logicalId, imports.get(logicalId), type, slices.start(i), slices.end(i), fails, failure, token);
        continue;
      }
      at(slices.start(i), t -> {
        resourceEvent(logicalId, "", type, "CREATE_IN_PROGRESS", null, t, token);
        if (!fails) {
          assignPhysicalId(running, intrinsics(running), logicalId);
          resourceEvent(logicalId, physicalIds.get(logicalId), type, "CREATE_IN_PROGRESS", CREATION_INITIATED, t,
              token);
        }
      });
      at(slices.end(i), t -> {
        if (fails) {
          resourceEvent(logicalId, "", type, "CREATE_FAILED", failure.get().reason(), t, token);
        } else {
          resourceEvent(logicalId, physicalIds.get(logicalId), type, "CREATE_COMPLETE", null, t, token);
        }
      });
    }
    if (failure.isEmpty()) {
      at(done, t -> {
        resolveOutputs(running, intrinsics(running));
        enter("CREATE_COMPLETE", null, t, token);
        changeSet.executed(true);
      });
      return;
    }
    Faults.ResourceFailure f = failure.get();
    lastFailedResource = f.logicalId();
    at(done, t -> {
      enter("ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [" + f.logicalId()
          + "]. Rollback requested by user.", t, token);
      changeSet.executed(false);
    });
    Instant rolledBack = done.plus(timings.rollback());
    if (faults.takeRollbackFailure()) {
      at(rolledBack, t -> {
        resourceEvent(f.logicalId(), "", type(f.logicalId()), "DELETE_FAILED", rollbackFailure(f.logicalId()), t,
            token);
        enter("ROLLBACK_FAILED", "The following resource(s) failed to delete: [" + f.logicalId() + "]. ", t, token);
      });
      return;
    }
    List<String> undo = new ArrayList<>(steps);
    Collections.reverse(undo);
    Slices rollback = new Slices(done, timings.rollback(), undo.size());
    for (int i = 0; i < undo.size(); i++) {
      String logicalId = undo.get(i);
      String type = type(logicalId);
      boolean keeps = !logicalId.equals(f.logicalId())
          && (imports.containsKey(logicalId) || resource(deployment, logicalId).retainedOnRollback());
      if (!keeps) {
        at(rollback.start(i), t -> resourceEvent(logicalId, physicalIds.getOrDefault(logicalId, ""), type,
            "DELETE_IN_PROGRESS", null, t, token));
      }
      at(rollback.end(i), t -> {
        if (keeps) {
          keepResource(logicalId, physicalIds.get(logicalId), type, t, token);
        } else {
          rollBackCreated(logicalId, physicalIds.getOrDefault(logicalId, ""), type, t, token);
        }
      });
    }
    at(rolledBack, t -> {
      physicalIds.clear();
      outputs.clear();
      enter("ROLLBACK_COMPLETE", null, t, token);
    });
  }

  /** What an update touched, to undo it in a rollback (also one continued by ContinueUpdateRollback). */
  private record Undo(Map<String, String> before, List<String> updated, Map<String, String> created,
      List<String> imported, Optional<Deployment> previous, Deployment attempted) {}

  /**
   * An update as CloudFormation reports it: the stack's {@code User Initiated} event, then per changed resource
   * in dependency order {@code CREATE_*} for an added one, {@code UPDATE_*} for a modified one (a replacement
   * first says "Requested update requires the creation of a new physical resource; hence creating one.", then
   * "Resource creation Initiated" with the new physical id); in {@code UPDATE_COMPLETE_CLEANUP_IN_PROGRESS} the
   * removed resources and the replaced physical resources are deleted. A property the update sets overwrites an
   * out-of-band change of it (CloudFormation writes what the template says). A resource that fails starts
   * {@code UPDATE_ROLLBACK_IN_PROGRESS}: the updated resources are put back, the created ones deleted in the
   * rollback's cleanup.
   */
  private void update(SimulatedChangeSet changeSet, Optional<Deployment> previous,
      Optional<Faults.ResourceFailure> failure, Optional<String> token, Instant now) {
    lastUpdatedTime = Optional.of(now);
    enter("UPDATE_IN_PROGRESS", USER_INITIATED, now, token);
    Deployment running = deployment.orElseThrow();
    Map<String, ChangeCalculator.ResourceChange> changes = new LinkedHashMap<>();
    changeSet.plan().changes().forEach(c -> changes.put(c.logicalId(), c));
    List<String> steps = new ArrayList<>(running.template().order());
    steps.removeIf(logicalId -> !changes.containsKey(logicalId) || "Remove".equals(changes.get(logicalId).action()));
    int failing = failure.map(f -> steps.indexOf(f.logicalId())).orElse(-1);
    List<String> done = failing < 0 ? steps : steps.subList(0, failing + 1);
    Undo undo = new Undo(new TreeMap<>(physicalIds), new ArrayList<>(), new LinkedHashMap<>(), new ArrayList<>(),
        previous, running);
    this.undo = undo;
    Instant finished = now.plus(timings.update());
    Slices slices = new Slices(now, timings.update(), done.size());
    for (int i = 0; i < done.size(); i++) {
      String logicalId = done.get(i);
      ChangeCalculator.ResourceChange change = changes.get(logicalId);
      String type = type(logicalId);
      boolean adds = "Add".equals(change.action());
      boolean replaces = !adds && change.replacement().filter("True"::equals).isPresent();
      boolean fails = i == failing;
      String eventPrefix = adds ? "CREATE" : "UPDATE";
      if ("Import".equals(change.action())) {
        importStep(logicalId, change.physicalId().orElseThrow(), type, slices.start(i), slices.end(i), fails, failure,
            token);
        if (!fails) {
          undo.created().put(logicalId, change.physicalId().orElseThrow());
          undo.imported().add(logicalId);
        }
        continue;
      }
      at(slices.start(i), t -> {
        String old = physicalIds.getOrDefault(logicalId, "");
        resourceEvent(logicalId, old, type, eventPrefix + "_IN_PROGRESS", replaces ? REPLACEMENT_REQUIRED : null, t,
            token);
        if (!adds) {
          undo.updated().add(logicalId);
        }
        if (!fails && (adds || replaces)) {
          assignPhysicalId(running, intrinsics(running), logicalId);
          undo.created().put(logicalId, physicalIds.get(logicalId));
          resourceEvent(logicalId, physicalIds.get(logicalId), type, eventPrefix + "_IN_PROGRESS", CREATION_INITIATED,
              t, token);
        }
      });
      at(slices.end(i), t -> {
        if (fails) {
          resourceEvent(logicalId, adds ? "" : physicalIds.getOrDefault(logicalId, ""), type,
              eventPrefix + "_FAILED", failure.get().reason(), t, token);
          if (adds) {
            undo.created().put(logicalId, "");
          }
        } else {
          resourceEvent(logicalId, physicalIds.get(logicalId), type, eventPrefix + "_COMPLETE", null, t, token);
        }
      });
    }
    if (failure.isEmpty()) {
      at(finished, t -> {
        resolveOutputs(running, intrinsics(running));
        if (changeSet.revertsDrift()) {
          drift.clear(changes.keySet());
        } else {
          drift.clear(undo.created().keySet());
          changes.values().forEach(c -> drift.clearProperties(c.logicalId(), c.details().stream()
              .map(d -> "Tags".equals(d.attribute()) ? "Tags" : d.name()).filter(Objects::nonNull).toList()));
        }
        refreshTags(running);
        enter("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null, t, token);
      });
      // the cleanup deletes what the update replaced or removed, newest first
      List<CleanupStep> cleanup = new ArrayList<>();
      List<String> previousOrder = new ArrayList<>(previous.map(d -> d.template().order()).orElse(List.of()));
      Collections.reverse(previousOrder);
      for (String logicalId : previousOrder) {
        ChangeCalculator.ResourceChange change = changes.get(logicalId);
        String physicalId = undo.before().get(logicalId);
        if (change != null && physicalId != null
            && ("Remove".equals(change.action()) || change.replacement().filter("True"::equals).isPresent())) {
          boolean removed = "Remove".equals(change.action());
          SimulatedTemplate.Resource old = resource(previous, logicalId);
          cleanup.add(new CleanupStep(logicalId, physicalId, old.type(), removed,
              removed ? old.retainedOnDelete() : resource(deployment, logicalId).retainedOnReplace()));
        }
      }
      Slices cleaning = new Slices(finished, timings.cleanup(), cleanup.size());
      for (int i = 0; i < cleanup.size(); i++) {
        CleanupStep step = cleanup.get(i);
        if (!step.keeps()) {
          at(cleaning.start(i), t -> resourceEvent(step.logicalId(), step.physicalId(), step.type(),
              "DELETE_IN_PROGRESS", null, t, token));
        }
        at(cleaning.end(i), t -> {
          if (step.keeps()) {
            if (step.removed()) {
              physicalIds.remove(step.logicalId());
            }
            keepResource(step.logicalId(), step.physicalId(), step.type(), t, token);
          } else if (step.removed()) {
            removeResource(step.logicalId(), step.physicalId(), step.type(), t, token);
          } else {
            replacedResourceGone(step.logicalId(), step.physicalId(), step.type(), t, token);
          }
        });
      }
      at(finished.plus(timings.cleanup()), t -> {
        apiKeys.keySet().retainAll(physicalIds.values());
        this.undo = null;
        enter("UPDATE_COMPLETE", null, t, token);
        changeSet.executed(true);
      });
      return;
    }
    Faults.ResourceFailure f = failure.get();
    lastFailedResource = f.logicalId();
    ChangeCalculator.ResourceChange failed = changes.get(f.logicalId());
    boolean created = "Add".equals(failed.action());
    at(finished, t -> {
      deployment = previous;
      enter("UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to " + (created ? "create" : "update")
          + ": [" + f.logicalId() + "]. ", t, token);
      changeSet.executed(false);
    });
    rollBackUpdate(finished, f.logicalId(), token);
  }

  /** A physical resource the update's cleanup deletes: one it removed, or one it replaced. */
  private record CleanupStep(String logicalId, String physicalId, String type, boolean removed, boolean keeps) {}

  /**
   * Puts back what the failed update changed: {@code UPDATE_IN_PROGRESS}/{@code UPDATE_COMPLETE} per updated
   * resource, newest first, with its old physical id; then in {@code UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS}
   * the resources the update created are deleted. A rollback armed to fail ends {@code UPDATE_ROLLBACK_FAILED}.
   */
  private void rollBackUpdate(Instant start, String failedResource, Optional<String> token) {
    Instant rolledBack = start.plus(timings.rollback());
    if (faults.takeRollbackFailure()) {
      at(rolledBack, t -> {
        resourceEvent(failedResource, physicalIds.getOrDefault(failedResource, ""), type(failedResource),
            "UPDATE_FAILED", rollbackFailure(failedResource), t, token);
        enter("UPDATE_ROLLBACK_FAILED", "The following resource(s) failed to update: [" + failedResource + "]. ", t,
            token);
      });
      return;
    }
    // what to put back is known once the failed operation stopped touching resources
    at(start, started -> undo(started, rolledBack, token));
  }

  private void undo(Instant start, Instant rolledBack, Optional<String> token) {
    Undo undo = this.undo != null ? this.undo
        : new Undo(new TreeMap<>(physicalIds), List.of(), Map.of(), List.of(), deployment, deployment.orElseThrow());
    List<String> updated = new ArrayList<>(undo.updated());
    Collections.reverse(updated);
    Slices slices = new Slices(start, timings.rollback(), updated.size());
    for (int i = 0; i < updated.size(); i++) {
      String logicalId = updated.get(i);
      String physicalId = undo.before().getOrDefault(logicalId, "");
      String type = typeIn(undo.previous(), logicalId).orElseGet(() -> type(logicalId));
      at(slices.start(i), t -> resourceEvent(logicalId, physicalId, type, "UPDATE_IN_PROGRESS", null, t, token));
      at(slices.end(i), t -> {
        physicalIds.put(logicalId, physicalId);
        resourceEvent(logicalId, physicalId, type, "UPDATE_COMPLETE", null, t, token);
      });
    }
    at(rolledBack, t -> {
      undo.previous().ifPresent(d -> resolveOutputs(d, intrinsics(d)));
      enter("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", null, t, token);
    });
    List<String> created = new ArrayList<>(undo.created().keySet());
    Collections.reverse(created);
    Slices cleaning = new Slices(rolledBack, timings.cleanup(), created.size());
    for (int i = 0; i < created.size(); i++) {
      String logicalId = created.get(i);
      String physicalId = undo.created().get(logicalId);
      String type = typeIn(undo.previous(), logicalId).orElseGet(() -> type(logicalId));
      boolean added = !undo.before().containsKey(logicalId);
      boolean keeps = !physicalId.isEmpty() && (undo.imported().contains(logicalId)
          || resource(Optional.of(undo.attempted()), logicalId).retainedOnRollback());
      if (!keeps) {
        at(cleaning.start(i), t -> resourceEvent(logicalId, physicalId, type, "DELETE_IN_PROGRESS", null, t, token));
      }
      at(cleaning.end(i), t -> {
        if (added) {
          physicalIds.remove(logicalId);
        }
        if (keeps) {
          keepResource(logicalId, physicalId, type, t, token);
        } else {
          rollBackCreated(logicalId, physicalId, type, t, token);
        }
      });
    }
    at(rolledBack.plus(timings.cleanup()), t -> {
      apiKeys.keySet().retainAll(physicalIds.values());
      this.undo = null;
      enter("UPDATE_ROLLBACK_COMPLETE", null, t, token);
    });
  }

  /** A resource of the stack deleted by a stack deletion or an update that removed it. */
  private void removeResource(String logicalId, String physicalId, String type, Instant at, Optional<String> token) {
    physicalIds.remove(logicalId);
    drift.clear(List.of(logicalId));
    account.remove(type, physicalId);
    resourceEvent(logicalId, physicalId, type, "DELETE_COMPLETE", null, at, token);
  }

  /**
   * A resource its DeletionPolicy (or UpdateReplacePolicy) keeps: {@code DELETE_SKIPPED}, and it stays in the
   * account with its name and tags, in no stack.
   */
  private void keepResource(String logicalId, String physicalId, String type, Instant at, Optional<String> token) {
    Map<String, String> tags = account.find(type, physicalId).map(e -> e.tags)
        .orElseGet(() -> deployment.map(d -> tagsFor(d, logicalId, Map.of())).orElse(Map.of()));
    account.release(type, physicalId, tags);
    drift.clear(List.of(logicalId));
    resourceEvent(logicalId, physicalId, type, "DELETE_SKIPPED", null, at, token);
  }

  /** The physical resource an update replaced, deleted in the update's cleanup. */
  private void replacedResourceGone(String logicalId, String physicalId, String type, Instant at,
      Optional<String> token) {
    account.remove(type, physicalId);
    resourceEvent(logicalId, physicalId, type, "DELETE_COMPLETE", null, at, token);
  }

  /** A resource created by the operation that failed, deleted by its rollback. */
  private void rollBackCreated(String logicalId, String physicalId, String type, Instant at, Optional<String> token) {
    if (!physicalId.isEmpty()) {
      account.remove(type, physicalId);
    }
    resourceEvent(logicalId, physicalId, type, "DELETE_COMPLETE", null, at, token);
  }

  /** The resources a change set imports ({@code Action: Import}), by logical id, with their physical ids. */
  private static Map<String, String> imports(SimulatedChangeSet changeSet) {
    Map<String, String> imports = new TreeMap<>();
    changeSet.plan().changes().stream().filter(c -> "Import".equals(c.action()))
        .forEach(c -> imports.put(c.logicalId(), c.physicalId().orElseThrow()));
    return imports;
  }

  /**
   * One resource imported into the stack: {@code IMPORT_IN_PROGRESS}, then {@code IMPORT_COMPLETE} (or
   * {@code IMPORT_FAILED}); the resource keeps its name and tags (an import does not change the resource).
   */
  private void importStep(String logicalId, String physicalId, String type, Instant start, Instant end, boolean fails,
      Optional<Faults.ResourceFailure> failure, Optional<String> token) {
    at(start, t -> {
      resourceEvent(logicalId, fails ? "" : physicalId, type, "IMPORT_IN_PROGRESS", null, t, token);
      if (!fails) {
        physicalIds.put(logicalId, physicalId);
      }
    });
    at(end, t -> {
      if (fails) {
        resourceEvent(logicalId, "", type, "IMPORT_FAILED", failure.get().reason(), t, token);
      } else {
        resourceEvent(logicalId, physicalId, type, "IMPORT_COMPLETE", null, t, token);
      }
    });
  }

  /** After an update: the stack's buckets and tables carry its (possibly new) tags. */
  private void refreshTags(Deployment running) {
    Intrinsics intrinsics = intrinsics(running);
    physicalIds.forEach((logicalId, physicalId) -> {
      SimulatedTemplate.Resource resource = running.template().resources().get(logicalId);
      if (resource != null) {
        account.find(resource.type(), physicalId).filter(e -> e.stackId.filter(id::equals).isPresent())
            .ifPresent(e -> e.tags = tagsFor(running, logicalId, intrinsics.resolveProperties(resource.properties())));
      }
    });
  }

  private static SimulatedTemplate.Resource resource(Optional<Deployment> deployment, String logicalId) {
    return deployment.map(d -> d.template().resources().get(logicalId)).orElseThrow(
        () -> new IllegalStateException("no resource " + logicalId + " in the stack's template"));
  }

  /**
   * The times of an operation's resource steps: {@code steps} equal slices of its duration, the last one ending
   * exactly when the operation does.
   */
  private record Slices(Instant from, Duration total, int steps) {
    Instant start(int step) {
      return from.plus(total.multipliedBy(step).dividedBy(Math.max(1, steps)));
    }

    Instant end(int step) {
      return from.plus(total.multipliedBy(step + 1).dividedBy(Math.max(1, steps)));
    }
  }

  private String type(String logicalId) {
    return typeIn(deployment, logicalId).orElse("AWS::CloudFormation::CustomResource");
  }

  private static Optional<String> typeIn(Optional<Deployment> deployment, String logicalId) {
    return deployment.map(d -> d.template().resources().get(logicalId)).map(SimulatedTemplate.Resource::type);
  }

  /**
   * Replaces every API key of the stack, as when the key resource is recreated: a new physical id (so a new
   * {@code ApiKeyId} output) and a new value; the old key is gone.
   *
   * @throws IllegalStateException when the stack is not stable or has no API key
   */
  void rotateApiKeys(Instant now) {
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
    // outputs change only through a stack operation, which moves the stack's LastUpdatedTime ("the time the stack
    // was last updated", DescribeStacks and ListStacks): the update that replaced the key
    lastUpdatedTime = Optional.of(now);
  }

  /** The API key with this physical id, while it is one of the stack's resources. */
  Optional<ApiKey> apiKey(String physicalId) {
    return Optional.ofNullable(apiKeys.get(physicalId)).filter(k -> physicalIds.containsValue(physicalId));
  }

  private void assignPhysicalId(Deployment running, Intrinsics intrinsics, String logicalId) {
    SimulatedTemplate.Resource resource = running.template().resources().get(logicalId);
    Map<String, Object> properties = intrinsics.resolveProperties(resource.properties());
    String physicalId = PhysicalIds.create(name, logicalId, resource.type(), properties, random);
    physicalIds.put(logicalId, physicalId);
    if (API_KEY_TYPE.equals(resource.type())) {
      // the key it replaces answers nothing from now on (apiKey checks the physical ids); forgotten in cleanup
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
    transitions.add(new Transition(time, ++transitionsScheduled, effect));
  }

  private void enter(String newStatus, String reason, Instant at, Optional<String> token) {
    status = newStatus;
    statusReason = Optional.ofNullable(reason);
    events.add(new Event(UUID.randomUUID().toString(), at, name, id, STACK_TYPE, newStatus, statusReason, token));
    changes.accept(new StackChange(name, id, newStatus, lastDriftCheck, at));
  }

  private void resourceEvent(String logicalId, String physicalId, String type, String eventStatus, String reason,
      Instant at, Optional<String> token) {
    events.add(new Event(UUID.randomUUID().toString(), at, logicalId, physicalId, type, eventStatus,
        Optional.ofNullable(reason), token));
  }
}
