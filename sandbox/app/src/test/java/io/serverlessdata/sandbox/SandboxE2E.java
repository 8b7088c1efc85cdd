package io.serverlessdata.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.serverlessdata.operator.app.RetriedAwsFaults;
import io.serverlessdata.operator.reconciler.ReconcilerSettings;
import io.serverlessdata.operator.reconciler.StackListing;
import io.serverlessdata.simulator.Timings;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The sandbox driven by the real {@code kubectl} binary through the kubeconfig it writes, and by
 * {@code simulate} through its control endpoint: the README's quickstart, step by step. The steps share
 * one sandbox and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxE2E {

  /** Seconds rather than minutes, but the same order of steps as the sandbox a user runs. */
  private static final Timings TIMINGS = new Timings(Duration.ofMillis(300), Duration.ofMillis(2000),
      Duration.ofMillis(1500), Duration.ofMillis(300), Duration.ofMillis(1000), Duration.ofMillis(1000));
  private static final ReconcilerSettings PACE = ReconcilerSettings.defaults()
      .withPacing(Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(1))
      .withListing(new StackListing.Pacing(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ZERO),
          Duration.ofSeconds(3));
  private static final Path REPO = Path.of(System.getProperty("sds.repoRoot", "..")).toAbsolutePath().normalize();
  private static final String STACK = "default-orders";

  @TempDir
  static Path dir;
  private static String kubectl;
  private static Sandbox sandbox;

  @BeforeAll
  static void startTheSandbox() {
    kubectl = findKubectl();
    sandbox = Sandbox.start(dir, TIMINGS, PACE, Clock.systemUTC());
  }

  @AfterAll
  static void stopTheSandbox() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  @Order(1)
  void kubectlAppliesTheExampleAndGetShowsItSyncedWithItsPrinterColumns() {
    Result apply = kubectl("apply", "-f", REPO.resolve("examples/stack.yaml").toString());
    assertThat(apply.out()).contains("serverlessdatastack.serverlessdata.io/orders created");

    Result get = awaitKubectl(r -> row(r, "orders").contains("True") && row(r, "orders").contains("CREATE_COMPLETE"),
        "get", "sds");
    assertThat(get.out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "STACK-STATUS", "SYNCED", "DRIFT", "AGE");

    Result wide = kubectl("get", "sds", "-o", "wide");
    assertThat(wide.out().lines().findFirst().orElseThrow()).contains("ARN", "ENDPOINT");
    assertThat(row(wide, "orders")).contains("arn:aws:cloudformation:us-east-1:", "execute-api.us-east-1.amazonaws.com");
  }

  @Test
  @Order(2)
  void theOutputsAreReadableWithJsonPathAndYaml() {
    String endpoint = kubectl("get", "sds", "orders", "-o", "jsonpath={.status.outputs.ApiEndpoint}").out();
    assertThat(endpoint).matches("https://[a-z0-9]+\\.execute-api\\.us-east-1\\.amazonaws\\.com/prod/process");

    String yaml = kubectl("get", "sds", "orders", "-o", "yaml").out();
    assertThat(yaml).contains("kind: ServerlessDataStack", "outputs:", "DynamoTableName: orders-prod-processing-table",
        "stackStatus: CREATE_COMPLETE", "type: ACK.ResourceSynced");
  }

  @Test
  @Order(3)
  void renderOfTheResourceAsStoredGivesTheHashInItsStatus() throws IOException {
    Path stored = Files.writeString(dir.resolve("orders-stored.yaml"), kubectl("get", "sds", "orders", "-o", "yaml")
        .out());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = SandboxCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

    assertThat(cli.execute("render", "-f", stored.toString(), "--parameters", "--account-id", "123456789012"))
        .isZero();

    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString()).path("hash").asText())
        .isEqualTo(kubectl("get", "sds", "orders", "-o", "jsonpath={.status.specHash}").out());
    assertThat(err.toString()).doesNotContain("note:");
  }

  @Test
  @Order(4)
  void describeShowsTheOperatorsEvents() {
    String described = kubectl("describe", "sds", "orders").out();
    assertThat(described).contains("Events:", "ChangeSetCreated", "Executing", "Synced",
        "stack default-orders matches the spec");
  }

  @Test
  @Order(5)
  void anInvalidManifestIsReportedOnTheResource() {
    kubectl(List.of("apply", "-f", "-"), """
        apiVersion: serverlessdata.io/v1alpha1
        kind: ServerlessDataStack
        metadata:
          name: broken
        spec:
          resourcePrefix: Bad_Prefix
          alertEmail: ops@example.com
        """);

    Result terminal = awaitKubectl(r -> r.out().contains("spec.resourcePrefix"), "get", "sds", "broken", "-o",
        "jsonpath={.status.conditions[?(@.type==\"ACK.Terminal\")].message}");
    assertThat(terminal.out()).contains("Bad_Prefix");
    assertThat(kubectl("describe", "sds", "broken").out()).contains("Warning", "InvalidSpec", "spec.resourcePrefix");
    assertThat(sandbox.simulator().hasStack("default-broken")).isFalse();

    kubectl("delete", "sds", "broken");
  }

  @Test
  @Order(6)
  void anInjectedResourceFailureShowsOnTheNextSpecChange() {
    assertThat(simulate("fail", STACK, "ProcessingTable", "Simulated: table limit exceeded")).isZero();

    kubectl(List.of("apply", "-f", "-"), manifestWithReadCapacity(7));

    Result get = awaitKubectl(r -> row(r, "orders").contains("UPDATE_ROLLBACK_COMPLETE "), "get", "sds");
    assertThat(row(get, "orders")).contains("False");
    awaitKubectl(r -> r.out().contains("UpdateRolledBack"), "describe", "sds", "orders");
    String described = kubectl("describe", "sds", "orders").out();
    assertThat(described).contains("Warning", "ProcessingTable UPDATE_FAILED: Simulated: table limit exceeded");

    kubectl(List.of("apply", "-f", "-"), manifestWithReadCapacity(6));
    awaitKubectl(r -> row(r, "orders").contains("True") && row(r, "orders").contains("UPDATE_COMPLETE "), "get", "sds");
  }

  @Test
  @Order(7)
  void driftMadeInTheConsoleShowsAfterADriftCheckIsAskedFor() {
    assertThat(simulate("drift", STACK, "ProcessingTable", "ProvisionedThroughput.ReadCapacityUnits=7")).isZero();
    kubectl("annotate", "sds", "orders", "--overwrite", "serverlessdata.io/check-drift=e2e-1");

    Result get = awaitKubectl(r -> row(r, "orders").contains("DRIFTED"), "get", "sds");
    assertThat(row(get, "orders")).contains("True");
    String drift = kubectl("get", "sds", "orders", "-o", "jsonpath={.status.drift.driftedResources[0].differences[0]}")
        .out();
    assertThat(drift).contains("/ProvisionedThroughput/ReadCapacityUnits", "\"expected\":\"6\"", "\"actual\":\"7\"");
    awaitKubectl(r -> r.out().contains("DriftDetected"), "describe", "sds", "orders");
  }

  @Test
  @Order(8)
  void aStackDeletedOutOfBandIsCreatedAgainWithAWarningAndItsRetainedDataImported() {
    String table = kubectl("get", "sds", "orders", "-o", "jsonpath={.status.outputs.DynamoTableName}").out();
    assertThat(simulate("delete-stack", STACK)).isZero();

    awaitKubectl(r -> r.out().contains("StackDeletedOutOfBand"), "describe", "sds", "orders");
    awaitKubectl(r -> row(r, "orders").contains("True") && row(r, "orders").contains("CREATE_COMPLETE"), "get", "sds");
    // the deletion kept the table and bucket (dataRetention Retain): the new stack took them over
    awaitKubectl(r -> r.out().contains("ImportedRetainedData"), "describe", "sds", "orders");
    assertThat(kubectl("get", "sds", "orders", "-o", "jsonpath={.status.outputs.DynamoTableName}").out())
        .isEqualTo(table);
  }

  @Test
  @Order(9)
  void retriedAwsFaultsAreOneWarnLineWithTheErrorCodeAndTheOperationNotAStackTrace() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.setContext(context);
    log.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(log);
    try {
      RetriedAwsFaults.install(); // as the operator's logback.xml does (this test runs with logback-test.xml)

      // the README's "simulate throttle 5": more throttles than the SDK's attempts for one call; whichever call it
      // hits (the stack listing, a drift call, a reconcile's), one line names the error code and the operation
      assertThat(simulate("throttle", "10")).isZero();
      ILoggingEvent throttled = awaitLogged(log, "a line about the throttled call",
          e -> e.getFormattedMessage().contains("Throttling"));
      assertThat(throttled.getFormattedMessage()).containsPattern("Throttling.*[A-Z][a-z]+[A-Z][A-Za-z]+.*Rate exceeded");
      assertThat(throttled.getThrowableProxy()).isNull();

      // a reconcile's own call failing (5xx, retried): JOSDK's WARN with its stack trace becomes one line
      sandbox.simulator().failAction("CreateChangeSet", 10);
      kubectl(List.of("apply", "-f", "-"), manifestWithReadCapacity(8));
      ILoggingEvent failed = awaitLogged(log, "the sandbox's WARN line about the failed CreateChangeSet",
          e -> RetriedAwsFaults.LOGGER.equals(e.getLoggerName()));
      assertThat(failed.getLevel()).isEqualTo(Level.WARN);
      assertThat(failed.getFormattedMessage())
          .matches("default/orders: AWS InternalFailure on CreateChangeSet \\(.+\\); the operator retries with backoff");
      assertThat(failed.getThrowableProxy()).isNull();
      awaitKubectl(r -> row(r, "orders").contains("True") && row(r, "orders").contains("UPDATE_COMPLETE "), "get", "sds");

      assertThat(logged(log)).as("a stack trace of a retried fault")
          .noneMatch(e -> e.getThrowableProxy() != null
              && ThrowableProxyUtil.asString(e.getThrowableProxy()).matches("(?s).*(Rate exceeded|InternalFailure).*"))
          .noneMatch(e -> RetriedAwsFaults.JOSDK_EVENT_PROCESSOR.equals(e.getLoggerName()));
    } finally {
      root.detachAppender(log);
    }
  }

  private static ILoggingEvent awaitLogged(ListAppender<ILoggingEvent> log, String alias,
      Predicate<ILoggingEvent> wanted) {
    return Awaitility.await().alias(alias).atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
        .until(() -> logged(log).stream().filter(wanted).findFirst(), Optional::isPresent).orElseThrow();
  }

  private static List<ILoggingEvent> logged(ListAppender<ILoggingEvent> log) {
    synchronized (log) { // AppenderBase appends under the appender's lock
      return new ArrayList<>(log.list);
    }
  }

  @Test
  @Order(10)
  void theSimulateCommandNamesWhatIsWrong() {
    StringWriter err = new StringWriter();
    CommandLine cli = SandboxCommand.commandLine().setErr(new PrintWriter(err));
    assertThat(cli.execute("simulate", "--dir", dir.toString(), "delete-stack", "no-such-stack")).isEqualTo(1);
    assertThat(err.toString()).contains("no stack named no-such-stack");
    assertThat(cli.execute("simulate", "--dir", dir.resolve("elsewhere").toString(), "throttle", "2"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("no sandbox is running");
  }

  @Test
  @Order(11)
  void kubectlDeleteReturnsOnceTheStackIsDeleted() {
    Result delete = kubectl("delete", "sds", "orders", "--timeout=60s");
    assertThat(delete.out()).contains("\"orders\" deleted");
    assertThat(sandbox.simulator().hasStack(STACK)).as("the stack is gone before the resource").isFalse();
    assertThat(kubectl("get", "sds").err()).contains("No resources found");

    StringWriter retained = new StringWriter();
    assertThat(SandboxCommand.commandLine().setOut(new PrintWriter(retained))
        .execute("simulate", "--dir", dir.toString(), "retained")).isZero();
    assertThat(retained.toString()).as("dataRetention: Retain (the default) keeps the table and the bucket")
        .contains("AWS::DynamoDB::Table orders-prod-processing-table {", "AWS::S3::Bucket orders-prod-processed-data-",
            "serverlessdata.io/name=orders");
  }

  @Test
  @Order(12)
  void theSameManifestAppliedAgainGetsTheRetainedTableAndBucketBack() {
    kubectl("apply", "-f", REPO.resolve("examples/stack.yaml").toString());

    awaitKubectl(r -> row(r, "orders").contains("True") && row(r, "orders").contains("CREATE_COMPLETE"), "get", "sds");
    awaitKubectl(r -> r.out().contains("ImportedRetainedData"), "describe", "sds", "orders");
    assertThat(kubectl("get", "sds", "orders", "-o", "jsonpath={.status.importedResources[*].physicalId}").out())
        .contains("orders-prod-processing-table", "orders-prod-processed-data-123456789012");
    kubectl("delete", "sds", "orders", "--timeout=60s");
  }

  @Test
  @Order(13)
  void anotherResourceWithTheSamePrefixIsRefusedTheDataAndLeavesItAlone() {
    kubectl(List.of("apply", "-f", "-"), """
        apiVersion: serverlessdata.io/v1alpha1
        kind: ServerlessDataStack
        metadata:
          name: intruder
        spec:
          resourcePrefix: orders-prod
          alertEmail: ops@example.com
        """);

    awaitKubectl(r -> r.out().contains("ImportRefused"), "describe", "sds", "intruder");
    String described = kubectl("describe", "sds", "intruder").out();
    assertThat(described).contains("orders-prod-processing-table", "belongs to default/orders",
        "serverlessdata.io/adopt-data=true");
    assertThat(sandbox.simulator().retainedResources()).extracting(r -> r.physicalId())
        .contains("orders-prod-processing-table", "orders-prod-processed-data-123456789012");
    kubectl("delete", "sds", "intruder", "--timeout=60s");
  }

  @Test
  @Order(14)
  void withManualApprovalThePlanWaitsInKubectlUntilItIsApprovedByName() {
    kubectl(List.of("apply", "-f", "-"), """
        apiVersion: serverlessdata.io/v1alpha1
        kind: ServerlessDataStack
        metadata:
          name: ledger
        spec:
          resourcePrefix: ledger-prod
          alertEmail: ops@example.com
          changeApproval: Manual
        """);

    Result wide = awaitKubectl(r -> row(r, "ledger").contains("sds-g1-"), "get", "sds", "-o", "wide");
    assertThat(wide.out().lines().findFirst().orElseThrow()).contains("AWAITING-APPROVAL");
    assertThat(row(wide, "ledger")).contains("REVIEW_IN_PROGRESS", "False");
    String plan = kubectl("get", "sds", "ledger", "-o", "jsonpath={.status.pendingChangeSet.name}").out();
    String changes = kubectl("get", "sds", "ledger", "-o", "jsonpath={.status.pendingChangeSet.changes}").out();
    assertThat(changes).contains("\"action\":\"Add\"", "\"logicalId\":\"ProcessingTable\"",
        "\"resourceType\":\"AWS::DynamoDB::Table\"");
    assertThat(kubectl("describe", "sds", "ledger").out()).contains("AwaitingApproval",
        "serverlessdata.io/approve=" + plan);

    kubectl("annotate", "sds", "ledger", "serverlessdata.io/approve=sds-g1-typo", "--overwrite");
    Result warned = awaitKubectl(r -> r.out().contains("StaleApproval"), "describe", "sds", "ledger");
    assertThat(warned.out()).contains("Warning", "sds-g1-typo");
    assertThat(kubectl("get", "sds", "ledger", "-o", "jsonpath={.status.stackStatus}").out())
        .as("nothing ran").isEqualTo("REVIEW_IN_PROGRESS");

    kubectl("annotate", "sds", "ledger", "serverlessdata.io/approve=" + plan, "--overwrite");
    awaitKubectl(r -> row(r, "ledger").contains("True") && row(r, "ledger").contains("CREATE_COMPLETE"),
        "get", "sds", "ledger");
    assertThat(kubectl("get", "sds", "ledger", "-o", "jsonpath={.status.lastApproval}").out()).isEqualTo(plan);
    kubectl("delete", "sds", "ledger", "--timeout=60s");
  }

  @Test
  @Order(15)
  void aFirstCreateThatFailsLeavesNoTableOrBucketBehind() {
    assertThat(simulate("fail", "default-fresh", "ProcessorFunction", "Simulated: function quota exceeded")).isZero();
    kubectl(List.of("apply", "-f", "-"), """
        apiVersion: serverlessdata.io/v1alpha1
        kind: ServerlessDataStack
        metadata:
          name: fresh
        spec:
          resourcePrefix: fresh-prod
          alertEmail: ops@example.com
        """);

    awaitKubectl(r -> row(r, "fresh").contains("ROLLBACK_COMPLETE "), "get", "sds");
    awaitKubectl(r -> r.out().contains("CreateFailed"), "describe", "sds", "fresh");
    StringWriter retained = new StringWriter();
    assertThat(SandboxCommand.commandLine().setOut(new PrintWriter(retained))
        .execute("simulate", "--dir", dir.toString(), "retained")).isZero();
    assertThat(retained.toString()).as("RetainExceptOnCreate: the rollback of a first create deletes the data")
        .doesNotContain("fresh-prod-processing-table", "fresh-prod-processed-data-");
    kubectl("delete", "sds", "fresh", "--timeout=60s");
  }

  private static int simulate(String... args) {
    List<String> all = new ArrayList<>(List.of("simulate", "--dir", dir.toString()));
    all.addAll(List.of(args));
    return SandboxCommand.commandLine().execute(all.toArray(String[]::new));
  }

  private static String manifestWithReadCapacity(int capacity) {
    try {
      return Files.readString(REPO.resolve("examples/stack.yaml"))
          .replace("dynamoDbReadCapacity: 5", "dynamoDbReadCapacity: " + capacity);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The line of {@code kubectl get} about this resource, or an empty string. */
  private static String row(Result get, String name) {
    return get.out().lines().filter(l -> l.startsWith(name + " ")).findFirst().orElse("") + " ";
  }

  record Result(int exit, String out, String err) {}

  private static Result awaitKubectl(Predicate<Result> until, String... args) {
    return Awaitility.await().alias("kubectl " + String.join(" ", args)).atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(300)).ignoreExceptions()
        .until(() -> kubectl(args), until);
  }

  private static Result kubectl(String... args) {
    return kubectl(List.of(args), null);
  }

  /** Runs kubectl with the sandbox's kubeconfig; fails the test when it exits non-zero. */
  private static Result kubectl(List<String> args, String stdin) {
    List<String> command = new ArrayList<>();
    command.add(kubectl);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", sandbox.kubeconfig().toString());
    builder.environment().remove("KUBERNETES_SERVICE_HOST");
    try {
      Process process = builder.start();
      CompletableFuture<String> out = read(process.getInputStream());
      CompletableFuture<String> err = read(process.getErrorStream());
      try (OutputStream in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("kubectl " + args + " did not finish within 90 s");
      }
      Result result = new Result(process.exitValue(), out.get(), err.get());
      if (result.exit() != 0) {
        fail("kubectl " + String.join(" ", args) + " exited with " + result.exit() + ":\n" + result.err() + result.out());
      }
      return result;
    } catch (IOException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<String> read(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }

  /**
   * kubectl from $KUBECTL or the PATH, at least 1.27; the test fails, not skips, without it (CI installs it), and
   * fails at once with the sandbox's own message when it is older (the sandbox would refuse each of its requests).
   */
  private static String findKubectl() {
    String found = locateKubectl();
    String version;
    try {
      Process process = new ProcessBuilder(found, "version", "--client", "-o", "json").redirectErrorStream(true)
          .start();
      CompletableFuture<String> out = read(process.getInputStream());
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return fail(found + " version --client did not finish within 30 s");
      }
      version = out.get();
    } catch (IOException | java.util.concurrent.ExecutionException e) {
      return fail("cannot run " + found + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Optional<KubectlVersion> kubectl = KubectlVersion.fromVersionJson(version);
    if (kubectl.isPresent() && kubectl.get().tooOld()) {
      return fail(kubectl.get().refusal() + ", or point $KUBECTL at it. SandboxE2E found " + found + " ($KUBECTL or"
          + " the PATH); .ci/run installs kubectl 1.32 when the one present is older than 1.27.");
    }
    return found;
  }

  private static String locateKubectl() {
    String configured = System.getenv("KUBECTL");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail("kubectl is not installed: SandboxE2E drives the real kubectl binary (1.27 or newer). Install it"
        + " (.ci/run does when it is missing or too old) or point $KUBECTL at one.");
  }
}
