package io.serverlessdata.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The CloudFormation API the operator uses, on simulated stacks: each action takes a Query request and
 * answers with CloudFormation's XML, or throws a {@link SimulatorException} worded as CloudFormation words it.
 * Not thread-safe; the simulator serialises requests.
 *
 * <p>Actions live in one table ({@link #ACTIONS}); drift detection (DetectStackDrift,
 * DescribeStackDriftDetectionStatus, DescribeStackResourceDrifts) is backed by each stack's record of
 * out-of-band changes ({@link SimulatedDrift}).
 */
final class SimulatedCloudFormation {

  static final String ACCOUNT_ID = "123456789012";
  static final String REGION = "us-east-1";

  private static final Pattern NAME = Pattern.compile("[a-zA-Z][-a-zA-Z0-9]{0,127}");
  private static final Pattern TOKEN = Pattern.compile("[a-zA-Z0-9][-a-zA-Z0-9]{0,127}");
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::\\d{12}:role/[\\w+=,.@/-]+");
  private static final int MAX_TAGS = 50;
  /**
   * DescribeStackEvents and ListStacks page "if the output exceeds 1 MB in size" (API_ListStacks.html,
   * API_DescribeStackEvents.html, https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/); what
   * callers observe is pages of 100 (stack events: ansible/ansible#41840; stacks: rebuy-de/aws-nuke#240 and
   * brennerm/aws-quota-checker#35, which found only the first 100 stacks without paging). Tests may lower it.
   */
  static final int PAGE_SIZE = 100;
  /**
   * Stacks an account may hold in a region, "Stacks: 2,000" (cloudformation-limits.html, "CloudFormation quotas");
   * beyond it a new stack is refused with {@code LimitExceededException}, "Limit for stacks has been exceeded".
   */
  static final int STACK_QUOTA = 2000;
  /** "Summary information for stacks that have been deleted is kept for 90 days after the stack is deleted." */
  static final Duration DELETED_STACKS_KEPT = Duration.ofDays(90);
  /** The StackStatus values (API_Stack.html), which is what StackStatusFilter.member.N accepts. */
  static final List<String> STACK_STATUSES = List.of("CREATE_IN_PROGRESS", "CREATE_FAILED", "CREATE_COMPLETE",
      "ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED", "ROLLBACK_COMPLETE", "DELETE_IN_PROGRESS", "DELETE_FAILED",
      "DELETE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_COMPLETE",
      "UPDATE_FAILED", "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_FAILED",
      "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS",
      "IMPORT_IN_PROGRESS", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_IN_PROGRESS", "IMPORT_ROLLBACK_FAILED",
      "IMPORT_ROLLBACK_COMPLETE");

  private static final Map<String, BiFunction<SimulatedCloudFormation, QueryRequest, String>> ACTIONS = Map.ofEntries(
      Map.entry("DescribeStacks", SimulatedCloudFormation::describeStacks),
      Map.entry("ListStacks", SimulatedCloudFormation::listStacks),
      Map.entry("CreateChangeSet", SimulatedCloudFormation::createChangeSet),
      Map.entry("DescribeChangeSet", SimulatedCloudFormation::describeChangeSet),
      Map.entry("ExecuteChangeSet", SimulatedCloudFormation::executeChangeSet),
      Map.entry("DeleteChangeSet", SimulatedCloudFormation::deleteChangeSet),
      Map.entry("DeleteStack", SimulatedCloudFormation::deleteStack),
      Map.entry("DescribeStackEvents", SimulatedCloudFormation::describeStackEvents),
      Map.entry("ContinueUpdateRollback", SimulatedCloudFormation::continueUpdateRollback),
      Map.entry("UpdateTerminationProtection", SimulatedCloudFormation::updateTerminationProtection),
      Map.entry("DetectStackDrift", SimulatedCloudFormation::detectStackDrift),
      Map.entry("DescribeStackDriftDetectionStatus", SimulatedCloudFormation::describeStackDriftDetectionStatus),
      Map.entry("DescribeStackResourceDrifts", SimulatedCloudFormation::describeStackResourceDrifts));

  /** A drift detection: it finishes after {@link Timings#driftDetection()}, with what it found when it started. */
  private static final class Detection {
    final String id;
    final SimulatedStack stack;
    final Instant started;
    final Instant finishes;
    final Optional<String> failure;
    final List<SimulatedDrift.Found> found;
    boolean finished;

    Detection(String id, SimulatedStack stack, Instant started, Instant finishes, Optional<String> failure,
        List<SimulatedDrift.Found> found) {
      this.id = id;
      this.stack = stack;
      this.started = started;
      this.finishes = finishes;
      this.failure = failure;
      this.found = found;
    }
  }

  private final Clock clock;
  private final Timings timings;
  private final Faults faults;
  private final List<SimulatedStack> stacks = new ArrayList<>();
  private final AccountResources account = new AccountResources();
  private final Map<String, Detection> detections = new LinkedHashMap<>();
  private final Map<String, List<String>> deploymentModes = new LinkedHashMap<>();
  /** Client request tokens used, by stack name and token. */
  private final Map<String, Map<String, TokenUse>> tokens = new HashMap<>();
  private int changeSetsCreated;
  private long stacksCreated;
  private int listStacksPageSize = PAGE_SIZE;
  private Consumer<StackChange> changes = change -> { };
  private int eventsPageSize = PAGE_SIZE;
  private int stackQuota = STACK_QUOTA;
  private Instant now;

  SimulatedCloudFormation(Clock clock, Timings timings, Faults faults) {
    this.clock = clock;
    this.timings = timings;
    this.faults = faults;
  }

  /** Who is told of every change of a stack's status or drift information (see {@link StackChange}). */
  void onStackChange(Consumer<StackChange> listener) {
    changes = listener;
  }

  /** How many summaries a ListStacks page holds (AWS: {@value #PAGE_SIZE}). */
  void listStacksPageSize(int size) {
    listStacksPageSize = positive("ListStacks page size", size);
  }

  /** How many stacks the account may hold (AWS: {@value #STACK_QUOTA} unless raised through Service Quotas). */
  void stackQuota(int quota) {
    stackQuota = positive("stack quota", quota);
  }

  /** How many events a DescribeStackEvents page holds (AWS: {@value #PAGE_SIZE}). */
  void eventsPageSize(int size) {
    eventsPageSize = positive("DescribeStackEvents page size", size);
  }

  private static int positive(String what, int size) {
    if (size < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + size);
    }
    return size;
  }

  /** Whether the action is one this simulator answers. */
  static boolean supports(String action) {
    return ACTIONS.containsKey(action);
  }

  /** Moves every stack to where the clock says it is, then answers the request. */
  String handle(QueryRequest request) {
    advance();
    return ACTIONS.get(request.action()).apply(this, request);
  }

  /** Deletes a stack behind the operator's back. */
  void deleteOutOfBand(String stackName) {
    advance();
    find(stackName).orElseThrow(() -> new IllegalArgumentException("no stack " + stackName))
        .deleteOutOfBand(now);
  }

  /** Someone changes a property of a stack's resource outside CloudFormation; an empty value removes it. */
  void modifyOutOfBand(String stackName, String logicalId, String path, Optional<String> actual) {
    advance();
    live(stackName).modifyOutOfBand(logicalId, path, actual);
  }

  /** Someone deletes one of a stack's resources outside CloudFormation. */
  void deleteResourceOutOfBand(String stackName, String logicalId) {
    advance();
    live(stackName).deleteResourceOutOfBand(logicalId);
  }

  /** The account's buckets, tables and retained resources, for the DynamoDB and S3 routes and the controls. */
  AccountResources account() {
    advance();
    return account;
  }

  /** Change sets created, not counting a repeated request that found the one it had created. */
  int changeSetsCreated() {
    return changeSetsCreated;
  }

  /** The deployment modes of the change sets planned for a stack, in order (plain ones have none). */
  List<String> deploymentModes(String stackName) {
    return List.copyOf(deploymentModes.getOrDefault(stackName, List.of()));
  }

  private SimulatedStack live(String stackName) {
    return find(stackName).orElseThrow(() -> new IllegalArgumentException("no stack " + stackName));
  }

  /** Whether a live (not deleted) stack has this name. */
  boolean exists(String stackName) {
    advance();
    return find(stackName).isPresent();
  }

  /** Replaces the API key of a live stack (a new id and value; the {@code ApiKeyId} output follows). */
  void rotateApiKeys(String stackName) {
    advance();
    find(stackName).orElseThrow(() -> new IllegalArgumentException("no stack " + stackName)).rotateApiKeys(now);
  }

  /** An API key of a live stack, by id, as API Gateway's GetApiKey finds it. */
  Optional<ApiKey> apiKey(String id) {
    advance();
    return stacks.stream().filter(s -> !s.deleted()).map(s -> s.apiKey(id)).flatMap(Optional::stream).findFirst();
  }

  private void advance() {
    now = clock.instant();
    stacks.forEach(s -> s.advance(now));
    for (Detection detection : detections.values()) {
      if (!detection.finished && !detection.finishes.isAfter(now)) {
        detection.finished = true;
        if (detection.failure.isEmpty()) {
          detection.stack.driftChecked(detection.found, detection.started);
        } else {
          detection.stack.driftCheckFailed(detection.started);
        }
        SimulatedStack stack = detection.stack;
        changes.accept(new StackChange(stack.name(), stack.id(), stack.status(), stack.lastDriftCheck(),
            detection.finishes));
      }
    }
    // a deleted stack is forgotten 90 days after its deletion: no longer listed, nor found by its id
    stacks.removeIf(s -> s.deletionTime().filter(t -> !t.plus(DELETED_STACKS_KEPT).isAfter(now)).isPresent());
  }

  private String detectStackDrift(QueryRequest request) {
    SimulatedStack stack = existing(request.required("StackName"));
    stack.checkDriftDetectable();
    String id = UUID.randomUUID().toString();
    detections.put(id, new Detection(id, stack, now, now.plus(timings.driftDetection()),
        faults.takeDriftDetectionFailure(), stack.detectDrift()));
    return Xml.response("DetectStackDrift", requestId(), xml -> xml.element("StackDriftDetectionId", id));
  }

  private String describeStackDriftDetectionStatus(QueryRequest request) {
    String id = request.required("StackDriftDetectionId");
    Detection detection = Optional.ofNullable(detections.get(id)).orElseThrow(() -> SimulatorException.validation(
        "Drift detection with id " + id + " does not exist"));
    String detectionStatus = !detection.finished ? "DETECTION_IN_PROGRESS"
        : detection.failure.isPresent() ? "DETECTION_FAILED" : "DETECTION_COMPLETE";
    String driftStatus = !detection.finished ? null
        : detection.failure.isPresent() ? "UNKNOWN" : detection.found.isEmpty() ? "IN_SYNC" : "DRIFTED";
    return Xml.response("DescribeStackDriftDetectionStatus", requestId(), xml -> xml
        .element("StackId", detection.stack.id())
        .element("StackDriftDetectionId", id)
        .element("StackDriftStatus", driftStatus)
        .element("DetectionStatus", detectionStatus)
        .element("DetectionStatusReason", detection.finished ? detection.failure.orElse(null) : null)
        .element("DriftedStackResourceCount", detection.finished && detection.failure.isEmpty()
            ? String.valueOf(detection.found.size()) : null)
        // "Time at which the stack drift detection operation was initiated." (API_DescribeStackDriftDetectionStatus)
        .element("Timestamp", detection.started));
  }

  private String describeStackResourceDrifts(QueryRequest request) {
    SimulatedStack stack = existing(request.required("StackName"));
    List<String> filters = request.list("StackResourceDriftStatusFilters");
    List<SimulatedDrift.Found> found = stack.driftFound().stream()
        .filter(f -> filters.isEmpty() || filters.contains(f.status()))
        .toList();
    int from = request.optional("NextToken").map(Integer::parseInt).orElse(0);
    int to = Math.min(found.size(), from + request.optional("MaxResults").map(Integer::parseInt).orElse(100));
    Instant checked = stack.lastDriftCheck().orElse(now);
    return Xml.response("DescribeStackResourceDrifts", requestId(), xml -> {
      xml.members("StackResourceDrifts", found.subList(from, to), (member, f) -> {
        member.element("StackId", stack.id())
            .element("LogicalResourceId", f.logicalId())
            .element("PhysicalResourceId", f.physicalId())
            .element("ResourceType", f.resourceType())
            .element("StackResourceDriftStatus", f.status())
            .element("Timestamp", checked);
        member.members("PropertyDifferences", f.differences(), (difference, d) -> difference
            .element("PropertyPath", d.path())
            .element("ExpectedValue", d.expected())
            .element("ActualValue", d.actual())
            .element("DifferenceType", d.type()));
      });
      xml.element("NextToken", to < found.size() ? String.valueOf(to) : null);
    });
  }

  /**
   * DescribeStacks: one stack by name (live stacks) or by id (deleted ones too, "Deleted stacks: You must specify
   * the unique stack ID", API_DescribeStacks.html), or every live stack, newest first, in pages.
   */
  private String describeStacks(QueryRequest request) {
    Optional<String> name = request.optional("StackName");
    if (name.isPresent()) {
      SimulatedStack stack = find(name.get()).orElseThrow(
          () -> SimulatorException.validation("Stack with id " + name.get() + " does not exist"));
      return Xml.response("DescribeStacks", requestId(), xml -> xml.members("Stacks", List.of(stack), this::writeStack));
    }
    Page<SimulatedStack> page = stackPage("DescribeStacks", request, listStacksPageSize, s -> !s.deleted());
    return Xml.response("DescribeStacks", requestId(), xml -> xml
        .members("Stacks", page.items(), this::writeStack)
        .element("NextToken", page.nextToken().orElse(null)));
  }

  /**
   * ListStacks (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStacks.html): the
   * summaries of the stacks whose status is one of {@code StackStatusFilter.member.N} (every stack without a
   * filter, deleted ones included for 90 days), newest first (AWS documents no order), in pages of
   * {@value #PAGE_SIZE} with a {@code NextToken}. A token names the last stack of its page, so stacks created or
   * deleted between two pages neither repeat nor hide a summary. Each {@code StackSummary}
   * (API_StackSummary.html) carries the ids, the times (DeletionTime only on deleted stacks), status and reason,
   * the template's description and {@code DriftInformation} (API_StackDriftInformationSummary.html).
   */
  private String listStacks(QueryRequest request) {
    List<String> filter = request.list("StackStatusFilter");
    filter.stream().filter(status -> !STACK_STATUSES.contains(status)).findFirst().ifPresent(status -> {
      throw SimulatorException.validation("1 validation error detected: Value '" + filter
          + "' at 'stackStatusFilter' failed to satisfy constraint: Member must satisfy constraint: [Member must"
          + " satisfy enum value set: " + STACK_STATUSES + "]");
    });
    Page<SimulatedStack> page = stackPage("ListStacks", request, listStacksPageSize,
        s -> filter.isEmpty() || filter.contains(s.status()));
    return Xml.response("ListStacks", requestId(), xml -> {
      xml.members("StackSummaries", page.items(), (member, stack) -> member
          .element("StackId", stack.id())
          .element("StackName", stack.name())
          .element("TemplateDescription",
              stack.deployment().flatMap(d -> d.template().description()).orElse(null))
          .element("CreationTime", stack.creationTime())
          .element("LastUpdatedTime", stack.lastUpdatedTime().orElse(null))
          .element("DeletionTime", stack.deletionTime().orElse(null))
          .element("StackStatus", stack.status())
          .element("StackStatusReason", stack.statusReason().orElse(null))
          .open("DriftInformation")
          .element("StackDriftStatus", stack.driftStatus())
          .element("LastCheckTimestamp", stack.lastDriftCheck().orElse(null))
          .close("DriftInformation"));
      xml.element("NextToken", page.nextToken().orElse(null));
    });
  }

  private record Page<T>(List<T> items, Optional<String> nextToken) {}

  /** The stacks that match, newest first, from the one after the token's, at most {@code size}. */
  private Page<SimulatedStack> stackPage(String action, QueryRequest request, int size,
      java.util.function.Predicate<SimulatedStack> matches) {
    long after = request.optional("NextToken").map(t -> PageTokens.position(action, t)).orElse(Long.MAX_VALUE);
    List<SimulatedStack> items = new ArrayList<>();
    boolean more = false;
    for (int i = stacks.size() - 1; i >= 0; i--) {
      SimulatedStack stack = stacks.get(i);
      if (stack.sequence() >= after || !matches.test(stack)) {
        continue;
      }
      if (items.size() == size) {
        more = true;
        break;
      }
      items.add(stack);
    }
    Optional<String> next = more ? Optional.of(PageTokens.of(action, items.get(items.size() - 1).sequence()))
        : Optional.empty();
    return new Page<>(items, next);
  }

  private String createChangeSet(QueryRequest request) {
    String stackName = checkName("stackName", request.required("StackName"));
    String name = checkName("changeSetName", request.required("ChangeSetName"));
    String type = request.optional("ChangeSetType").orElse("UPDATE");
    Optional<String> clientToken = request.optional("ClientToken").map(t -> check("clientToken", t, TOKEN));
    Optional<String> roleArn = request.optional("RoleARN");
    Optional<String> deploymentMode = request.optional("DeploymentMode");
    boolean importExisting = Boolean.parseBoolean(request.optional("ImportExistingResources").orElse("false"));
    Optional<SimulatedStack> existing = find(stackName);
    Optional<SimulatedChangeSet> sameName = existing.flatMap(s -> s.changeSet(name));
    // ClientToken: "Specify this token if you plan to retry requests so that CloudFormation knows that you're not
    // attempting to create another change set with the same name" (API_CreateChangeSet.html); CreateChangeSet
    // answers no TokenAlreadyExists, so the token only tells a retry from a second change set of that name
    if (sameName.isPresent()) {
      if (clientToken.isPresent() && clientToken.equals(sameName.get().clientToken())) {
        SimulatedChangeSet repeated = sameName.get();
        return Xml.response("CreateChangeSet", requestId(),
            xml -> xml.element("Id", repeated.id()).element("StackId", existing.get().id()));
      }
      throw new SimulatorException("AlreadyExistsException", 400, "ChangeSet " + name + " already exists");
    }
    switch (type) {
      case "CREATE" -> existing.filter(s -> !SimulatedStack.REVIEW_IN_PROGRESS.equals(s.status())).ifPresent(s -> {
        throw SimulatorException.validation(
            "Stack [" + stackName + "] already exists and cannot be created again with the changeSet [" + name + "].");
      });
      case "UPDATE" -> existing.orElseThrow(
          () -> SimulatorException.validation("Stack [" + stackName + "] does not exist")).checkUpdatable();
      default -> throw SimulatorException.validation("1 validation error detected: Value '" + type
          + "' at 'changeSetType' failed to satisfy constraint: Member must satisfy enum value set: [CREATE, UPDATE]");
    }
    deploymentMode.filter(mode -> !"REVERT_DRIFT".equals(mode) || !"UPDATE".equals(type)).ifPresent(mode -> {
      throw SimulatorException.validation("DeploymentMode " + mode + " is only supported as REVERT_DRIFT for UPDATE change sets");
    });
    roleArn.filter(arn -> !ROLE_ARN.matcher(arn).matches()).ifPresent(arn -> {
      throw SimulatorException.validation("Role " + arn + " is invalid or cannot be assumed");
    });
    Map<String, String> tags = request.pairs("Tags", "Key", "Value");
    if (tags.size() > MAX_TAGS) {
      throw SimulatorException.validation("1 validation error detected: Value at 'tags' failed to satisfy constraint:"
          + " Member must have length less than or equal to " + MAX_TAGS);
    }
    String body = request.optional("TemplateBody").orElseThrow(
        () -> SimulatorException.validation("Either Template URL or Template Body must be specified."));
    SimulatedTemplate template = SimulatedTemplate.parse(body);
    Map<String, String> parameters = template.bind(request.pairs("Parameters", "ParameterKey", "ParameterValue"));
    List<String> capabilities = request.list("Capabilities");
    template.checkCapabilities(capabilities);

    if (existing.isEmpty() && stacks.stream().filter(s -> !s.deleted()).count() >= stackQuota) {
      throw new SimulatorException("LimitExceededException", 400, "Limit for stacks has been exceeded");
    }
    SimulatedStack stack = existing.orElseGet(() -> {
      SimulatedStack created = new SimulatedStack(stackName, ++stacksCreated, now, timings, faults, account,
          change -> changes.accept(change));
      stacks.add(created);
      return created;
    });
    Deployment next = new Deployment(template, parameters, tags, roleArn);
    ChangeCalculator.Plan computed = new ChangeCalculator(stack.name(), stack.id())
        .compute(stack.deployment(), stack.physicalIds(), next);
    changeSetsCreated++;
    deploymentMode.ifPresent(mode -> deploymentModes.computeIfAbsent(stackName, n -> new ArrayList<>()).add(mode));
    ChangeCalculator.Plan reverting = deploymentMode.isPresent()
        ? ChangeCalculator.revertingDrift(computed, stack.drift(), stack.liveTypes(), stack.physicalIds())
        : computed;
    ChangeCalculator.Plan plan = importExisting ? importing(reverting, next, stack) : reverting;
    String id = "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT_ID + ":changeSet/" + name + "/" + UUID.randomUUID();
    stack.addChangeSet(new SimulatedChangeSet(name, id, type, next, plan, clientToken, capabilities, deploymentMode,
        importExisting, now, now.plus(timings.changeSet())));
    return Xml.response("CreateChangeSet", requestId(), xml -> xml.element("Id", id).element("StackId", stack.id()));
  }

  /**
   * {@code ImportExistingResources=true}: "Indicates if the change set auto-imports resources that already exist"
   * (API_CreateChangeSet.html). Per "Import AWS resources into a CloudFormation stack automatically"
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/import-resources-automatically.html), a resource
   * is imported when it has "a static custom name defined in your template. Dynamic names (using !Ref or other
   * functions) are not currently supported", "a DeletionPolicy of Retain or RetainExceptOnCreate", does "not
   * already belong to another CloudFormation stack" and its type supports import (buckets and tables here). Its
   * planned change is then {@code Action: Import} with its physical id (ResourceChange,
   * API_ResourceChange.html) instead of {@code Add}; a resource that misses a requirement stays an {@code Add}
   * and collides when the change set runs.
   */
  private ChangeCalculator.Plan importing(ChangeCalculator.Plan plan, Deployment next, SimulatedStack stack) {
    List<ChangeCalculator.ResourceChange> changes = new ArrayList<>();
    for (ChangeCalculator.ResourceChange change : plan.changes()) {
      SimulatedTemplate.Resource resource = next.template().resources().get(change.logicalId());
      Object name = resource == null || !AccountResources.named(resource.type()) ? null
          : resource.properties().get(AccountResources.nameProperty(resource.type()));
      boolean importable = "Add".equals(change.action()) && name instanceof String && resource.retainedOnDelete()
          && account.find(resource.type(), (String) name).filter(AccountResources.Entry::unmanaged).isPresent();
      changes.add(importable
          ? new ChangeCalculator.ResourceChange("Import", change.logicalId(), Optional.of((String) name),
              change.type(), Optional.empty(), java.util.Set.of(), List.of())
          : change);
    }
    return new ChangeCalculator.Plan(List.copyOf(changes), plan.changesStack());
  }

  private String describeChangeSet(QueryRequest request) {
    ChangeSetRef ref = findChangeSet(request);
    SimulatedChangeSet changeSet = ref.changeSet();
    SimulatedStack stack = ref.stack();
    Deployment planned = changeSet.deployment();
    return Xml.response("DescribeChangeSet", requestId(), xml -> {
      xml.element("ChangeSetName", changeSet.name())
          .element("ChangeSetId", changeSet.id())
          .element("StackId", stack.id())
          .element("StackName", stack.name())
          .element("CreationTime", changeSet.creationTime())
          .element("Status", changeSet.status(now))
          .element("StatusReason", changeSet.statusReason(now).orElse(null))
          .element("ExecutionStatus", changeSet.executionStatus(now))
          .element("DeploymentMode", changeSet.deploymentMode().orElse(null))
          .element("ImportExistingResources", changeSet.importsExistingResources() ? true : null)
          .element("RoleARN", planned.roleArn().orElse(null));
      writeParameters(xml, planned.parameters());
      xml.members("Capabilities", changeSet.capabilities(), (member, capability) -> member.text(capability));
      writeTags(xml, planned.tags());
      boolean computed = !"CREATE_PENDING".equals(changeSet.status(now));
      xml.members("Changes", computed ? changeSet.plan().changes() : List.of(), (member, change) -> {
        member.element("Type", "Resource").open("ResourceChange")
            .element("Action", change.action())
            .element("LogicalResourceId", change.logicalId())
            .element("PhysicalResourceId", change.physicalId().orElse(null))
            .element("ResourceType", change.type())
            .element("Replacement", change.replacement().orElse(null));
        member.members("Scope", change.scope(), (scope, item) -> scope.text(item));
        member.members("Details", change.details(), (detail, d) -> detail.open("Target")
            .element("Attribute", d.attribute())
            .element("Name", d.name())
            .element("RequiresRecreation", d.requiresRecreation())
            .close("Target")
            .element("Evaluation", d.evaluation())
            .element("ChangeSource", d.changeSource()));
        member.close("ResourceChange");
      });
    });
  }

  private String executeChangeSet(QueryRequest request) {
    ChangeSetRef ref = findChangeSet(request);
    SimulatedChangeSet changeSet = ref.changeSet();
    Optional<String> token = request.optional("ClientRequestToken").map(t -> check("clientRequestToken", t, TOKEN));
    TokenUse use = new TokenUse("ExecuteChangeSet", ref.stack().id(), changeSet.id());
    if (isRetry(ref.stack(), token, use)) {
      return Xml.response("ExecuteChangeSet", requestId(), xml -> {});
    }
    if (!"AVAILABLE".equals(changeSet.executionStatus(now))) {
      throw new SimulatorException("InvalidChangeSetStatus", 400, "ChangeSet [" + changeSet.id()
          + "] cannot be executed in its current status of [" + changeSet.status(now) + "] and execution status of ["
          + changeSet.executionStatus(now) + "]");
    }
    ref.stack().execute(changeSet, token, now);
    remember(ref.stack(), token, use);
    return Xml.response("ExecuteChangeSet", requestId(), xml -> {});
  }

  private String deleteChangeSet(QueryRequest request) {
    ChangeSetRef ref = findChangeSet(request);
    if ("EXECUTE_IN_PROGRESS".equals(ref.changeSet().executionStatus(now))) {
      throw new SimulatorException("InvalidChangeSetStatus", 400,
          "Cannot delete ChangeSet in status EXECUTE_IN_PROGRESS");
    }
    ref.stack().removeChangeSet(ref.changeSet());
    return Xml.response("DeleteChangeSet", requestId(), xml -> {});
  }

  private String deleteStack(QueryRequest request) {
    String stackName = request.required("StackName");
    Optional<String> token = request.optional("ClientRequestToken").map(t -> check("clientRequestToken", t, TOKEN));
    Optional<SimulatedStack> found = find(stackName).filter(stack -> !stack.deleted());
    if (found.isPresent()) {
      SimulatedStack stack = found.get();
      TokenUse use = new TokenUse("DeleteStack", stack.id(), stack.id());
      if (!isRetry(stack, token, use)) {
        stack.delete(token, now);
        remember(stack, token, use);
      }
    }
    return Xml.response("DeleteStack", requestId(), xml -> {});
  }

  /**
   * DescribeStackEvents (API_DescribeStackEvents.html): "in reverse chronological order", in pages of
   * {@value #PAGE_SIZE}; a deleted stack's events by its id. A token names the oldest event of its page, so events
   * written between two pages do not shift the next one.
   */
  private String describeStackEvents(QueryRequest request) {
    SimulatedStack stack = existing(request.required("StackName"));
    List<SimulatedStack.Event> events = stack.events();
    long before = request.optional("NextToken").map(t -> PageTokens.position("DescribeStackEvents", t))
        .orElse((long) events.size());
    int to = (int) Math.min(before, events.size());
    int from = Math.max(0, to - eventsPageSize);
    List<SimulatedStack.Event> page = new ArrayList<>(events.subList(from, to));
    java.util.Collections.reverse(page);
    return Xml.response("DescribeStackEvents", requestId(), xml -> {
      xml.members("StackEvents", page, (member, e) -> member
          .element("StackId", stack.id())
          .element("EventId", e.eventId())
          .element("StackName", stack.name())
          .element("LogicalResourceId", e.logicalId())
          .element("PhysicalResourceId", e.physicalId())
          .element("ResourceType", e.resourceType())
          .element("Timestamp", e.timestamp())
          .element("ResourceStatus", e.status())
          .element("ResourceStatusReason", e.reason().orElse(null))
          .element("ClientRequestToken", e.clientRequestToken().orElse(null)));
      xml.element("NextToken", from > 0 ? PageTokens.of("DescribeStackEvents", from) : null);
    });
  }

  private String continueUpdateRollback(QueryRequest request) {
    SimulatedStack stack = existing(request.required("StackName"));
    Optional<String> token = request.optional("ClientRequestToken").map(t -> check("clientRequestToken", t, TOKEN));
    TokenUse use = new TokenUse("ContinueUpdateRollback", stack.id(), stack.id());
    if (!isRetry(stack, token, use)) {
      stack.continueUpdateRollback(token, now);
      remember(stack, token, use);
    }
    return Xml.response("ContinueUpdateRollback", requestId(), xml -> {});
  }

  private String updateTerminationProtection(QueryRequest request) {
    boolean enabled = Boolean.parseBoolean(request.required("EnableTerminationProtection"));
    SimulatedStack stack = existing(request.required("StackName"));
    stack.setTerminationProtection(enabled);
    return Xml.response("UpdateTerminationProtection", requestId(), xml -> xml.element("StackId", stack.id()));
  }

  /**
   * A Stack of DescribeStacks (API_Stack.html). A stack that a CREATE change set made and nothing executed yet
   * ({@code REVIEW_IN_PROGRESS}) has its name, id, creation time (the CreateChangeSet's) and status, termination
   * protection off, and no parameters, tags or outputs: the change set's tags become the stack's only when it is
   * executed (LocalStack's engine, whose tests are validated against AWS, creates that stack without tags for this
   * reason: localstack/localstack#13117). The same holds for an UPDATE change set's tags until it runs.
   */
  private void writeStack(Xml xml, SimulatedStack stack) {
    xml.element("StackId", stack.id())
        .element("StackName", stack.name())
        .element("CreationTime", stack.creationTime())
        .element("LastUpdatedTime", stack.lastUpdatedTime().orElse(null))
        .element("DeletionTime", stack.deletionTime().orElse(null))
        .element("StackStatus", stack.status())
        .element("StackStatusReason", stack.statusReason().orElse(null))
        .element("DisableRollback", false)
        .element("EnableTerminationProtection", stack.terminationProtection());
    stack.deployment().ifPresent(deployment -> {
      xml.element("RoleARN", deployment.roleArn().orElse(null));
      writeParameters(xml, deployment.parameters());
      writeTags(xml, deployment.tags());
      xml.members("Outputs", stack.outputs().entrySet(), (member, output) -> member
          .element("OutputKey", output.getKey())
          .element("OutputValue", output.getValue())
          .element("Description", Optional.ofNullable(deployment.template().outputs().get(output.getKey()))
              .map(SimulatedTemplate.Output::description).orElse(null)));
    });
    xml.open("DriftInformation")
        .element("StackDriftStatus", stack.driftStatus())
        .element("LastCheckTimestamp", stack.lastDriftCheck().orElse(null))
        .close("DriftInformation");
  }

  private static void writeParameters(Xml xml, Map<String, String> parameters) {
    xml.members("Parameters", new TreeMap<>(parameters).entrySet(), (member, p) -> member
        .element("ParameterKey", p.getKey())
        .element("ParameterValue", p.getValue()));
  }

  private static void writeTags(Xml xml, Map<String, String> tags) {
    xml.members("Tags", new TreeMap<>(tags).entrySet(), (member, tag) -> member
        .element("Key", tag.getKey())
        .element("Value", tag.getValue()));
  }

  /**
   * The first use of a client request token on a stack name: which call, on which stack (its id, so one
   * incarnation of the name), for what (the change set executed, or the stack itself).
   */
  private record TokenUse(String action, String stackId, String target) {}

  /**
   * Whether a call is a retry of an earlier one with the same client request token. ExecuteChangeSet, DeleteStack
   * and ContinueUpdateRollback take a {@code ClientRequestToken} "if you plan to retry requests so that
   * CloudFormation knows that you're not attempting to [execute a change set / delete a stack / continue the
   * rollback of] a stack with the same name" (API_ExecuteChangeSet.html, API_DeleteStack.html,
   * API_ContinueUpdateRollback.html), and each may answer {@code TokenAlreadyExistsException}, "A client request
   * token already exists." (HTTP 400; the SDK's model lists it for exactly these calls and for CreateStack,
   * UpdateStack, CancelUpdateStack and RollbackStack). So: the same token for the same call on the same stack is a
   * retry, answered with success and no second operation; the same token for anything else on a stack of that
   * name (another action, another change set, another incarnation of the name after a deletion) is refused with
   * {@code TokenAlreadyExistsException}. AWS does not document how long a token is remembered: here, as long as
   * the simulator runs. UpdateTerminationProtection takes no token.
   *
   * @throws SimulatorException {@code TokenAlreadyExistsException} for a token used for another request
   */
  private boolean isRetry(SimulatedStack stack, Optional<String> token, TokenUse use) {
    if (token.isEmpty()) {
      return false;
    }
    TokenUse earlier = tokens.getOrDefault(stack.name(), Map.of()).get(token.get());
    if (earlier == null) {
      return false;
    }
    if (earlier.equals(use)) {
      return true;
    }
    throw new SimulatorException("TokenAlreadyExistsException", 400, "The client request token " + token.get()
        + " was already used for " + earlier.action() + " on stack " + earlier.stackId()
        + (earlier.target().equals(earlier.stackId()) ? "" : " (" + earlier.target() + ")")
        + ": a token names one request; retry that one with it, or use a new token");
  }

  private void remember(SimulatedStack stack, Optional<String> token, TokenUse use) {
    token.ifPresent(t -> tokens.computeIfAbsent(stack.name(), n -> new HashMap<>()).put(t, use));
  }

  /** A live stack by name, or any stack (deleted ones too) by id. */
  private Optional<SimulatedStack> find(String nameOrId) {
    boolean byId = nameOrId.startsWith("arn:");
    return stacks.stream()
        .filter(s -> byId ? s.id().equals(nameOrId) : s.name().equals(nameOrId) && !s.deleted())
        .findFirst();
  }

  private SimulatedStack existing(String nameOrId) {
    return find(nameOrId).orElseThrow(() -> SimulatorException.validation("Stack [" + nameOrId + "] does not exist"));
  }

  private record ChangeSetRef(SimulatedStack stack, SimulatedChangeSet changeSet) {}

  private ChangeSetRef findChangeSet(QueryRequest request) {
    String name = request.required("ChangeSetName");
    Optional<String> stackName = request.optional("StackName");
    for (SimulatedStack stack : stacks) {
      boolean stackMatches = name.startsWith("arn:")
          || stackName.filter(s -> s.startsWith("arn:") ? s.equals(stack.id()) : s.equals(stack.name()) && !stack.deleted())
              .isPresent();
      if (stackMatches) {
        Optional<SimulatedChangeSet> changeSet = stack.changeSet(name);
        if (changeSet.isPresent()) {
          return new ChangeSetRef(stack, changeSet.get());
        }
      }
    }
    throw new SimulatorException("ChangeSetNotFound", 404, "ChangeSet [" + name + "] does not exist");
  }

  private static String checkName(String member, String value) {
    return check(member, value, NAME);
  }

  private static String check(String member, String value, Pattern pattern) {
    if (!pattern.matcher(value).matches()) {
      throw SimulatorException.validation("1 validation error detected: Value '" + value + "' at '" + member
          + "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + pattern.pattern());
    }
    return value;
  }

  private static String requestId() {
    return UUID.randomUUID().toString();
  }
}
