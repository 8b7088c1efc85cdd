package io.serverlessdata.operator.scale;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.serverlessdata.operator.api.InvalidSpecException;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.api.SpecResolver;
import io.serverlessdata.operator.cloudformation.AwsStackOperations;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.ClientSettings;
import io.serverlessdata.operator.cloudformation.PlanRequest;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.reconciler.ConditionTypes;
import io.serverlessdata.operator.template.DataRetention;
import io.serverlessdata.operator.template.RenderedStack;
import io.serverlessdata.operator.template.StackTemplate;
import io.serverlessdata.simulator.CloudFormationSimulator;
import io.serverlessdata.simulator.Timings;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The scale run of docs/performance.md: N resources against the fabric8 mock API server (CRUD) and the
 * CloudFormation simulator (realistic timings, an account rate limit), driven by the real operator with the real
 * AWS SDK client, on a compressed clock. The operator runs in a JVM of its own ({@link OperatorProcess}), so that
 * its heap and RSS are its own; the restart is a new operator process. Prints a table for the initial creation and
 * for the restart against the same state, then works on a sample of the stacks out of band (deletes and updates
 * them in "the console") and prints how stale the status was ({@link Staleness}): for every change the simulator
 * reports, the simulated time until the resource's status showed it. Not a test: {@code mvn -B -pl operator -Pscale
 * -DskipTests process-test-classes}.
 */
@Command(name = "scale-run", mixinStandardHelpOptions = true,
    description = "Creates N ServerlessDataStacks against the mock API server and the simulator and measures.")
public final class ScaleRun implements Callable<Integer> {

  private static final String NAMESPACE = "scale";
  /** Calls a stack needs at the least to be created: DescribeStacks (absent), CreateChangeSet, DescribeChangeSet,
   *  ExecuteChangeSet, DescribeStacks (complete), UpdateTerminationProtection. */
  private static final int MINIMUM_CREATE_CALLS = 6;
  /** One resource in this many is deleted in the console in the last phase, one updated, one updated and failed. */
  private static final int SAMPLE = 50;
  private static final int DELETED = 7;
  private static final int UPDATED = 17;
  private static final int FAILED = 27;
  /** The drift calls: what a create costs "without the first drift check" leaves out. */
  private static final List<String> DRIFT_CALLS = List.of("DetectStackDrift", "DescribeStackDriftDetectionStatus",
      "DescribeStackResourceDrifts");

  @Option(names = "--resources", defaultValue = "1000", description = "Resources to create (${DEFAULT-VALUE}).")
  int resources;

  @Option(names = "--budget", defaultValue = "5", description = "Operator's AWS calls per simulated second (${DEFAULT-VALUE}).")
  double budget;

  @Option(names = "--burst", defaultValue = "10", description = "Operator's AWS call burst (${DEFAULT-VALUE}).")
  int burst;

  @Option(names = "--account-limit", defaultValue = "10",
      description = "Simulator's account rate limit, calls per simulated second (${DEFAULT-VALUE}).")
  double accountLimit;

  @Option(names = "--time-scale", defaultValue = "20",
      description = "Simulated seconds per real second (${DEFAULT-VALUE}): stack timings, reconciler pacing, budget.")
  double timeScale;

  @Option(names = "--steady-hours", defaultValue = "1",
      description = "Simulated hours of steady state observed after each phase (${DEFAULT-VALUE}).")
  double steadyHours;

  @Option(names = "--concurrency", defaultValue = "10", description = "Reconciles at once (${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--operator-heap", defaultValue = "256m",
      description = "The operator JVM's -Xmx (${DEFAULT-VALUE}).")
  String operatorHeap;

  @Option(names = "--drift-interval", defaultValue = "60",
      description = "Drift detection interval of every resource, minutes (${DEFAULT-VALUE}, the spec's default).")
  int driftIntervalMinutes;

  @Option(names = "--report", description = "Also append the table (markdown) to this file.")
  Optional<Path> report;

  @Option(names = "--staleness-csv", description = "Also write every stack change and when the status showed it"
      + " (CSV) to this file.")
  Optional<Path> stalenessCsv;

  private ScaledClock clock;
  private CloudFormationSimulator simulator;
  private NamespacedKubernetesClient client;
  private String masterUrl;
  private OperatorChild operator;
  private final List<Phase> phases = new ArrayList<>();
  private final Staleness staleness = new Staleness();
  /** How long after the first resource was created the last change set of the create phase was executed. */
  private Optional<Duration> lastExecuted = Optional.empty();
  /** Someone else in the account, with a client of their own: the console of the out-of-band phase. */
  private AwsStackOperations console;
  /** The run's own watch of the resources: the status as a user sees it, and what the run counts. */
  private SharedIndexInformer<ServerlessDataStack> informer;

  /** The mock web server logs every request through java.util.logging; held so that the level sticks. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8");

  public static void main(String[] args) {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    System.exit(new CommandLine(new ScaleRun()).execute(args));
  }

  /** What one phase measured. */
  record Phase(String name, int synced, int terminal, Duration simulated, double lowerBoundSeconds,
      double minimumBoundSeconds, Map<String, Integer> calls, long throttled, long failedReconciles,
      double p50, double p99, int reconciles, double steadyCallsPerStackHour, Map<String, Integer> steadyCalls,
      long heapAfterGc, long rss, int driftDue) {

    int totalCalls() {
      return calls.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  @Override
  public Integer call() throws Exception {
    clock = new ScaledClock(Instant.parse("2026-06-01T08:00:00Z"), timeScale);
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init();
    client = server.createClient();
    masterUrl = client.getMasterUrl().toString();
    try (InputStream crd = new FileInputStream(Path.of(System.getProperty("sds.repoRoot", ".."), "crds",
        "serverlessdatastacks.serverlessdata.io-v1.yml").toFile())) {
      client.apiextensions().v1().customResourceDefinitions()
          .resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
    }
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    simulator = CloudFormationSimulator.start(clock, Timings.realistic());
    simulator.onStackChange(staleness::changed);
    simulator.limitRate(accountLimit, (int) Math.max(1, Math.round(accountLimit * 2)));
    // an account that runs more stacks than AWS's default quota of 2,000 has had it raised (Service Quotas)
    simulator.stackQuota(Math.max(2000, resources));
    console = AwsStackOperations.create(ClientSettings.defaults(Optional.of(simulator.endpoint()))
        .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIACONSOLE", "console"))));
    // what a user running kubectl get -w would see, each status at the simulated time it arrives
    informer = client.resources(ServerlessDataStack.class)
        .inNamespace(NAMESPACE).inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(ServerlessDataStack resource) {
            staleness.seen(resource, clock.instant());
          }

          @Override
          public void onUpdate(ServerlessDataStack before, ServerlessDataStack resource) {
            staleness.seen(resource, clock.instant());
          }

          @Override
          public void onDelete(ServerlessDataStack resource, boolean finalStateUnknown) {}
        }, 0);
    System.out.printf(Locale.ROOT, "scale run: %d resources, budget %.1f calls/s (burst %d), account limit %.1f/s,"
        + " time x%.0f, %d cores, max heap %d MiB%n", resources, budget, burst, accountLimit, timeScale,
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

    startOperator();
    phases.add(create());
    stopOperator();
    List<Instant> lastDriftChecks = lastDriftChecks();
    startOperator();
    phases.add(restart(lastDriftChecks));
    String outOfBand = outOfBand();
    stopOperator();
    informer.close();
    console.close();

    String table = table(heapAfterGc(), OperatorProcess.rss()) + System.lineSeparator() + outOfBand;
    System.out.println(table);
    if (report.isPresent()) {
      Files.writeString(report.get(), table + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
    simulator.close();
    client.close();
    server.destroy();
    return phases.stream().allMatch(p -> p.synced() == resources && p.terminal() == 0) ? 0 : 1;
  }

  /**
   * The JVM flags of the image's ENTRYPOINT, so that the run's operator runs as the image's does; the heap is the
   * run's {@code -Xmx} instead of a share of a container's memory limit.
   */
  static List<String> imageJvmFlags(Path dockerfile) throws IOException {
    Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$").matcher(Files.readString(dockerfile));
    if (!entrypoint.find()) {
      throw new IllegalStateException("no ENTRYPOINT [...] in " + dockerfile);
    }
    List<String> flags = new ArrayList<>();
    Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(entrypoint.group(1));
    while (word.find()) {
      String flag = word.group(1);
      if (flag.startsWith("-XX:") && !flag.startsWith("-XX:MaxRAMPercentage")) {
        flags.add(flag);
      }
    }
    return flags;
  }

  private void startOperator() throws IOException, InterruptedException {
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + operatorHeap));
    jvm.addAll(imageJvmFlags(Path.of(System.getProperty("sds.repoRoot", ".."), "Dockerfile")));
    jvm.add("-DSDS_TEST_LOG_LEVEL=" + System.getProperty("SDS_TEST_LOG_LEVEL", "WARN"));
    operator = OperatorChild.start(jvm,
        List.of(masterUrl, simulator.endpoint().toString(), NAMESPACE, clock.origin().toString(),
            String.valueOf(clock.anchorEpochMillis()), String.valueOf(timeScale), String.valueOf(budget),
            String.valueOf(burst), String.valueOf(concurrency)));
    staleness.operatorStarted(clock.instant());
  }

  private void stopOperator() throws IOException, InterruptedException {
    staleness.operatorStopping(clock.instant());
    operator.stop();
  }

  private Phase create() throws InterruptedException {
    simulator.resetCalls();
    operator.ask("reset");
    long throttledBefore = simulator.throttledByRateLimit();
    Instant start = clock.instant();
    for (int i = 0; i < resources; i++) {
      client.resources(ServerlessDataStack.class).resource(resource(i)).create();
    }
    int[] counts = awaitAll(() -> counts(), c -> c[0] == resources, timeout());
    staleness.createPhaseEnded(clock.instant());
    Duration took = Duration.between(start, clock.instant());
    Instant end = start.plus(took);
    System.out.printf(Locale.ROOT, "create: the last change set executed after %s, the last stack created after %s%n",
        staleness.last("CREATE_IN_PROGRESS", end).map(t -> human(Duration.between(start, t))).orElse("-"),
        staleness.last("CREATE_COMPLETE", end).map(t -> human(Duration.between(start, t))).orElse("-"));
    lastExecuted = staleness.last("CREATE_IN_PROGRESS", end).map(t -> Duration.between(start, t));
    return measure("create", counts, took, throttledBefore, MINIMUM_CREATE_CALLS * resources, 0);
  }

  private Phase restart(List<Instant> lastDriftChecks) throws InterruptedException, IOException {
    Instant start = clock.instant();
    awaitAll(() -> new int[] {operator.progress()}, c -> c[0] >= resources, timeout());
    int[] counts = counts();
    Instant end = clock.instant();
    // detections that their interval made due during the phase, by the last checks recorded before the restart
    int driftDue = (int) lastDriftChecks.stream()
        .filter(last -> !last.plus(Duration.ofMinutes(driftIntervalMinutes)).isAfter(end)).count();
    // a restarted operator needs one full listing, a page per hundred stacks, and describes none of them
    return measure("restart", counts, Duration.between(start, end), simulator.throttledByRateLimit(),
        Math.ceil(resources / 100.0), driftDue);
  }

  /** The last drift check each resource's status records (the epoch when none is). */
  private List<Instant> lastDriftChecks() {
    List<Instant> checks = new ArrayList<>();
    for (ServerlessDataStack r : client.resources(ServerlessDataStack.class).inNamespace(NAMESPACE).list().getItems()) {
      var drift = r.getStatus() == null ? null : r.getStatus().getDrift();
      checks.add(drift == null || drift.lastCheckTime() == null ? Instant.EPOCH : Instant.parse(drift.lastCheckTime()));
    }
    return checks;
  }

  /** Measures a phase that began when the calls were reset, then observes the steady state. */
  private Phase measure(String name, int[] counts, Duration took, long throttledBefore, double minimumCalls,
      int driftDue)
      throws InterruptedException {
    Map<String, Integer> calls = simulator.callCounts();
    long throttled = simulator.throttledByRateLimit() - throttledBefore;
    String[] stats = operator.ask("stats").split(" ");
    int reconciles = Integer.parseInt(stats[1]);
    long failed = Long.parseLong(stats[3]);
    double p50 = Double.parseDouble(stats[4]);
    double p99 = Double.parseDouble(stats[5]);
    int total = calls.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(Locale.ROOT, "%s: %d/%d synced after %s simulated, %d calls %s%n", name, counts[0], resources,
        took, total, calls);

    simulator.resetCalls();
    Duration steady = Duration.ofSeconds(Math.round(steadyHours * 3600));
    Thread.sleep(clock.real(steady).toMillis());
    Map<String, Integer> steadyCalls = simulator.callCounts();
    double steadyRate = steadyCalls.values().stream().mapToInt(Integer::intValue).sum()
        / (double) resources / steadyHours;
    int[] after = counts();
    System.out.printf(Locale.ROOT, "%s steady state: %.2f calls/stack/h %s, %d synced%n", name, steadyRate,
        steadyCalls, after[0]);
    simulator.resetCalls();
    String[] memory = operator.ask("stats").split(" ");
    operator.ask("reset");
    return new Phase(name, Math.min(counts[0], after[0]), Math.max(counts[1], after[1]), took,
        total / budget, minimumCalls / budget, calls, throttled, failed, p50, p99, reconciles,
        steadyRate, steadyCalls, Long.parseLong(memory[6]), Long.parseLong(memory[7]), driftDue);
  }

  /** Generous: four times the slower of the stack timings and the budget's bound for six calls a stack, plus 2 h. */
  private Duration timeout() {
    return Duration.ofHours(2).plusSeconds(Math.round(4 * (360 + 6.0 * resources / budget)));
  }

  private interface Probe {
    int[] read();
  }

  private int[] awaitAll(Probe probe, java.util.function.Predicate<int[]> done, Duration simulatedTimeout)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(simulatedTimeout);
    int[] last = probe.read();
    while (!done.test(last) && clock.instant().isBefore(deadline)) {
      Thread.sleep(250);
      last = probe.read();
    }
    return last;
  }

  /** Synced (at their generation) and terminal resources. */
  private int[] counts() {
    int synced = 0;
    int terminal = 0;
    for (ServerlessDataStack r : informer.getStore().list()) {
      if (r.getStatus() == null || r.getStatus().getConditions() == null) {
        continue;
      }
      boolean atGeneration = r.getMetadata().getGeneration().equals(r.getStatus().getObservedGeneration());
      if (atGeneration && is(r, ConditionTypes.SYNCED)) {
        synced++;
      }
      if (is(r, ConditionTypes.TERMINAL)) {
        terminal++;
      }
    }
    return new int[] {synced, terminal};
  }

  private static boolean is(ServerlessDataStack r, String type) {
    return r.getStatus().getConditions().stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Resource {@code i}; those the last phase deletes in the console let their data go with the stack, so that the
   * operator can create them again (retained tables and buckets would be in the way of the new create, issue 14).
   */
  private ServerlessDataStack resource(int i) {
    ServerlessDataStack resource = new ServerlessDataStack();
    resource.setMetadata(new ObjectMetaBuilder().withName(name(i)).withNamespace(NAMESPACE).build());
    resource.setSpec(spec(String.format(Locale.ROOT, "scale-%04d", i), 5,
        i % SAMPLE == DELETED ? DataRetention.Delete : null));
    return resource;
  }

  private ServerlessDataStackSpec spec(String prefix, int readCapacity, DataRetention retention) {
    return new ServerlessDataStackSpec(prefix, readCapacity, null, "ops@example.com", null, null, null, null, null,
        null, retention, null, new ServerlessDataStackSpec.DriftDetectionSpec(driftIntervalMinutes, null), null, null,
        null);
  }

  private static String name(int i) {
    return String.format(Locale.ROOT, "s-%04d", i);
  }

  /**
   * The last phase: someone else works in the console on one resource's stack in {@value #SAMPLE} each — deletes it
   * (those created with {@code dataRetention: Delete}), updates it (a parameter), or updates it with a resource that
   * fails, so that it rolls back — each at a random time over 20 simulated minutes, while the operator runs; then
   * waits until the status shows every change, and prints the staleness of the whole run.
   */
  private String outOfBand() throws Exception {
    simulator.resetCalls();
    Map<String, Integer> consoleCalls = new ConcurrentHashMap<>();
    Instant start = clock.instant();
    Duration window = Duration.ofMinutes(20);
    Random random = new Random(15);
    ScheduledExecutorService hands = Executors.newScheduledThreadPool(4);
    List<java.util.concurrent.ScheduledFuture<?>> actions = new ArrayList<>();
    Map<String, String> deleted = new ConcurrentHashMap<>();
    for (int i = 0; i < resources; i++) {
      String name = name(i);
      long at = clock.real(Duration.ofMillis((long) (random.nextDouble() * window.toMillis()))).toNanos();
      switch (i % SAMPLE) {
        case DELETED -> actions.add(hands.schedule(() -> deleted.put(name, deleteInConsole(name)), at,
            TimeUnit.NANOSECONDS));
        case UPDATED -> actions.add(hands.schedule(() -> updateInConsole(name, false, consoleCalls), at,
            TimeUnit.NANOSECONDS));
        case FAILED -> actions.add(hands.schedule(() -> updateInConsole(name, true, consoleCalls), at,
            TimeUnit.NANOSECONDS));
        default -> { }
      }
    }
    for (var action : actions) {
      action.get();
    }
    hands.shutdown();
    // until the deleted stacks were created again and every change so far (but the last 3 minutes') was shown
    Instant deadline = clock.instant().plus(Duration.ofHours(1));
    while (clock.instant().isBefore(deadline) && !(recreated(deleted)
        && staleness.unshown(clock.instant().minus(Duration.ofMinutes(3))) == 0
        && clock.instant().isAfter(start.plus(window).plus(Duration.ofMinutes(10))))) {
      Thread.sleep(10_000);
    }
    Instant end = clock.instant();
    Map<String, Integer> operatorCalls = new java.util.TreeMap<>(simulator.callCounts());
    consoleCalls.forEach((action, n) -> operatorCalls.merge(action, -n, Integer::sum));
    operatorCalls.values().removeIf(n -> n == 0);
    int[] counts = counts();
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Out of band: %d deleted, %d updated, %d updated and rolled back in the"
        + " console over %s; %s (simulated) until every change was shown; the operator's calls %s (the console's"
        + " %s); %d/%d synced after it.%n%n", deleted.size(), actions.size() - deleted.size() - count(FAILED),
        count(FAILED), human(window), human(Duration.between(start, end)), operatorCalls, consoleCalls, counts[0],
        resources));
    out.append(staleness.table(end.minus(Duration.ofMinutes(3))));
    if (stalenessCsv.isPresent()) {
      Files.write(stalenessCsv.get(), staleness.lines(end.minus(Duration.ofMinutes(3))));
    }
    return out.toString();
  }

  private int count(int kind) {
    return (resources - kind + SAMPLE - 1) / SAMPLE;
  }

  /** Deletes the resource's stack in the console; returns its id. */
  private String deleteInConsole(String name) {
    ServerlessDataStack resource = client.resources(ServerlessDataStack.class).inNamespace(NAMESPACE).withName(name)
        .get();
    String stackId = resource.getStatus().getStackId();
    staleness.deletedOutOfBand(stackId, clock.instant());
    simulator.deleteOutOfBand(resource.getStatus().getStackName());
    return stackId;
  }

  /** Whether every resource whose stack was deleted is synced again, with another stack. */
  private boolean recreated(Map<String, String> deleted) {
    return deleted.entrySet().stream().allMatch(e -> {
      ServerlessDataStack r = informer.getStore().getByKey(NAMESPACE + "/" + e.getKey());
      return r != null && r.getStatus() != null && !e.getValue().equals(r.getStatus().getStackId()) && is(r, ConditionTypes.SYNCED)
          && "CREATE_COMPLETE".equals(r.getStatus().getStackStatus());
    });
  }

  /**
   * Updates the resource's stack in the console: its read capacity to 6, the same template and tags; with
   * {@code fails}, the table refuses the change and the stack rolls back.
   */
  private void updateInConsole(String name, boolean fails, Map<String, Integer> calls) {
    try {
      ServerlessDataStack resource = client.resources(ServerlessDataStack.class).inNamespace(NAMESPACE)
          .withName(name).get();
      String stackName = resource.getStatus().getStackName();
      Stack stack = console.describe(stackName).orElseThrow();
      calls.merge("DescribeStacks", 1, Integer::sum);
      ServerlessDataStack edited = new ServerlessDataStack();
      edited.setMetadata(resource.getMetadata());
      edited.setSpec(spec(resource.getSpec().resourcePrefix(), 6, resource.getSpec().dataRetention()));
      RenderedStack rendered = StackTemplate.render(SpecResolver.resolve(edited).settings());
      PlanRequest request = new PlanRequest(stackName, "console-update", PlanRequest.Type.UPDATE,
          Optional.of(stack.id()), rendered.templateBody(), rendered.parameters(), stack.tags(), Optional.empty(),
          false, false);
      if (fails) {
        simulator.failResource(stackName, "ProcessingTable",
            "Resource handler returned message: \"Throughput change rejected\"");
      }
      ChangeSet planned = console.plan(request);
      calls.merge("CreateChangeSet", 1, Integer::sum);
      do {
        Thread.sleep(clock.real(Duration.ofSeconds(5)).toMillis());
        calls.merge("DescribeChangeSet", 1, Integer::sum);
      } while (console.describeChangeSet(stack.id(), planned.id()).state() != ChangeSet.State.READY);
      staleness.updatedOutOfBand(stack.id(), clock.instant());
      console.execute(stack.id(), planned.id());
      calls.merge("ExecuteChangeSet", 1, Integer::sum);
    } catch (InvalidSpecException | InterruptedException e) {
      throw new IllegalStateException("console update of " + name + " failed", e);
    }
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private String table(long serversHeap, long serversRss) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n| %d resources, budget %.1f calls/s (burst %d), account limit %.1f calls/s,"
        + " time x%.0f | %s | %s |%n", resources, budget, burst, accountLimit, timeScale, phases.get(0).name(),
        phases.get(1).name()));
    out.append("|---|---|---|\n");
    row(out, "resources synced (Terminal)", p -> p.synced() + "/" + resources + " (" + p.terminal() + ")");
    row(out, "time until all synced / reconciled (simulated)", p -> human(p.simulated()));
    row(out, "lower bound: one stack's change set + create", p -> p.name().equals("create")
        ? human(Timings.realistic().changeSet().plus(Timings.realistic().create())) : "-");
    row(out, "the last change set executed (the rest is its stack's create, then a describe)", p ->
        p.name().equals("create") ? lastExecuted.map(ScaleRun::human).orElse("-") : "-");
    row(out, "lower bound: calls made / budget", p -> human(Duration.ofSeconds(Math.round(p.lowerBoundSeconds())))
        + String.format(Locale.ROOT, " (ratio %.2f)", p.simulated().toMillis() / 1000.0 / p.lowerBoundSeconds()));
    row(out, "lower bound: minimum calls / budget (6 per create; the restart's one listing)", p -> human(Duration.ofSeconds(Math.round(p.minimumBoundSeconds())))
        + String.format(Locale.ROOT, " (ratio %.2f)", p.simulated().toMillis() / 1000.0 / p.minimumBoundSeconds()));
    row(out, "CloudFormation calls per stack, the listing's pages shared out (without the drift calls)",
        p -> String.format(Locale.ROOT, "%.2f (%.2f)", p.totalCalls() / (double) resources,
            (p.totalCalls() - DRIFT_CALLS.stream().mapToInt(a -> p.calls().getOrDefault(a, 0)).sum())
                / (double) resources));
    row(out, "… of which ListStacks (pages) per stack", p -> String.format(Locale.ROOT, "%.2f",
        p.calls().getOrDefault("ListStacks", 0) / (double) resources));
    row(out, "calls by action", p -> p.calls().toString());
    row(out, "change sets created", p -> String.valueOf(p.calls().getOrDefault("CreateChangeSet", 0)));
    row(out, "drift detections started (due by their interval)", p -> p.calls().getOrDefault("DetectStackDrift", 0)
        + (p.name().equals("restart") ? " (" + p.driftDue() + ")" : ""));
    row(out, "steady state calls per stack per hour", p -> String.format(Locale.ROOT, "%.2f %s",
        p.steadyCallsPerStackHour(), p.steadyCalls()));
    row(out, "steady: ListStacks (the listing's pages alone) / DescribeStacks / drift calls per stack per hour",
        p -> String.format(Locale.ROOT, "%.3f / %.3f / %.3f", perStackHour(p.steadyCalls(), a -> a.equals("ListStacks")),
            perStackHour(p.steadyCalls(), a -> a.equals("DescribeStacks")),
            perStackHour(p.steadyCalls(), DRIFT_CALLS::contains)));
    row(out, "throttling errors (simulator) / failed reconciles", p -> p.throttled() + " / " + p.failedReconciles());
    row(out, "reconciles; latency p50 / p99 (real ms)", p -> String.format(Locale.ROOT, "%d; %.1f / %.1f",
        p.reconciles(), p.p50(), p.p99()));
    row(out, "operator JVM: heap used after GC (MiB), -Xmx" + operatorHeap, p -> String.valueOf(p.heapAfterGc() >> 20));
    row(out, "operator JVM: process RSS (MiB)", p -> String.valueOf(p.rss() >> 20));
    out.append(String.format(Locale.ROOT, "%nThe mock API server and the simulator (another JVM): heap after GC %d MiB,"
        + " RSS %d MiB.%n", serversHeap >> 20, serversRss >> 20));
    return out.toString();
  }

  private double perStackHour(Map<String, Integer> calls, java.util.function.Predicate<String> action) {
    return calls.entrySet().stream().filter(e -> action.test(e.getKey())).mapToInt(Map.Entry::getValue).sum()
        / (double) resources / steadyHours;
  }

  private void row(StringBuilder out, String label, java.util.function.Function<Phase, String> value) {
    out.append("| ").append(label);
    phases.forEach(p -> out.append(" | ").append(value.apply(p)));
    out.append(" |\n");
  }

  private static String human(Duration d) {
    return String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
  }

  /** The operator's JVM ({@link OperatorProcess}), on the same classpath, asked over its stdin. */
  private static final class OperatorChild {

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private OperatorChild(Process process) {
      this.process = process;
      this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(OperatorProcess.PREFIX)) {
              answers.add(line.substring(OperatorProcess.PREFIX.length()));
            } else {
              System.out.println("[operator] " + line);
            }
          }
        } catch (IOException e) {
          System.err.println("[operator] output lost: " + e);
        }
      }, "operator-output");
      reader.setDaemon(true);
      reader.start();
    }

    static OperatorChild start(List<String> jvmOptions, List<String> args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(OperatorProcess.class.getName());
      command.addAll(args);
      OperatorChild child = new OperatorChild(new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start());
      child.await("ready");
      System.out.println("operator process " + child.process.pid() + " started");
      return child;
    }

    /** Sends a command and returns its answer. */
    synchronized String ask(String command) {
      try {
        commands.write(command + "\n");
        commands.flush();
        return await(command.equals("stop") ? "stopped" : command);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("operator process " + process.pid() + " did not answer " + command, e);
      }
    }

    int progress() {
      return Integer.parseInt(ask("progress").split(" ")[1]);
    }

    void stop() throws InterruptedException {
      ask("stop");
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("operator process " + process.pid() + " did not exit");
      }
    }

    private String await(String expected) throws IOException, InterruptedException {
      String answer = answers.poll(5, TimeUnit.MINUTES);
      if (answer == null || !answer.startsWith(expected)) {
        throw new IOException("operator process " + process.pid() + " answered " + answer + " instead of " + expected
            + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")"));
      }
      return answer;
    }
  }
}
