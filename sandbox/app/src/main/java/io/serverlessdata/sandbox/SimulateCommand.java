package io.serverlessdata.sandbox;

import io.serverlessdata.simulator.ControlServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/** {@code simulate ...}: injects a fault into the running sandbox through its control endpoint. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {"Injects a fault into the running sandbox's simulated CloudFormation; watch the effect with "
        + "kubectl get sds and kubectl describe sds. The stack name is <namespace>-<name> unless spec.stackName says.",
        "",
        "Finds the sandbox by --dir; without it, next to the kubeconfig that $KUBECONFIG names (as the sandbox's "
            + "banner exports it), else in ./.sandbox.",
        ""})
final class SimulateCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand
  SandboxCommand sandbox;

  /** Also accepted before {@code simulate} (the sandbox's own option) and after the action. */
  @Option(names = "--dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "The running sandbox's directory, as given to it (default: the directory of $KUBECONFIG's"
          + " sandbox kubeconfig, else .sandbox).")
  Path dir;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "fail", mixinStandardHelpOptions = true,
      description = "The stack's next create or update that touches the resource fails on it, and the stack rolls back.")
  int fail(
      @Parameters(index = "0", paramLabel = "STACK", description = "CloudFormation stack name, e.g. default-orders") String stack,
      @Parameters(index = "1", paramLabel = "LOGICAL_ID", description = "Logical id, e.g. ProcessingTable") String logicalId,
      @Parameters(index = "2", arity = "0..1", paramLabel = "REASON", description = "CloudFormation's reason") String reason)
      throws IOException, InterruptedException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("stack", stack);
    form.put("logicalId", logicalId);
    if (reason != null) {
      form.put("reason", reason);
    }
    return send("fail", form);
  }

  @Command(name = "delete-stack", mixinStandardHelpOptions = true,
      description = "Someone deletes the stack outside the operator; it is gone at once.")
  int deleteStack(@Parameters(paramLabel = "STACK", description = "CloudFormation stack name") String stack)
      throws IOException, InterruptedException {
    return send("delete-stack", Map.of("stack", stack));
  }

  @Command(name = "throttle", mixinStandardHelpOptions = true,
      description = "The next COUNT CloudFormation calls are throttled (the SDK and the operator retry).")
  int throttle(@Parameters(paramLabel = "COUNT") int count) throws IOException, InterruptedException {
    return send("throttle", Map.of("count", String.valueOf(count)));
  }

  @Command(name = "drift", mixinStandardHelpOptions = true,
      description = {"Someone changes a property of one of the stack's resources in the console; the next drift check"
          + " (spec.driftDetection.intervalMinutes, at once for a new stack) reports it in status.drift and the DRIFT"
          + " column.", "Example: simulate drift default-orders ProcessingTable"
          + " ProvisionedThroughput.ReadCapacityUnits=7"})
  int drift(
      @Parameters(index = "0", paramLabel = "STACK", description = "CloudFormation stack name") String stack,
      @Parameters(index = "1", paramLabel = "LOGICAL_ID", description = "Logical id, e.g. ProcessingTable") String logicalId,
      @Parameters(index = "2", paramLabel = "PROPERTY=VALUE",
          description = "Property path (dots or slashes) and its new value; an empty value removes it") String change)
      throws IOException, InterruptedException {
    int equals = change.indexOf('=');
    if (equals <= 0) {
      spec.commandLine().getErr().println("error: expected PROPERTY=VALUE, e.g. ProvisionedThroughput.ReadCapacityUnits=7,"
          + " got " + change);
      return 2;
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("stack", stack);
    form.put("logicalId", logicalId);
    form.put("property", change.substring(0, equals));
    form.put("value", change.substring(equals + 1));
    return send("drift", form);
  }

  @Command(name = "delete-resource", mixinStandardHelpOptions = true,
      description = "Someone deletes one of the stack's resources outside CloudFormation; the next drift check reports it.")
  int deleteResource(
      @Parameters(index = "0", paramLabel = "STACK", description = "CloudFormation stack name") String stack,
      @Parameters(index = "1", paramLabel = "LOGICAL_ID", description = "Logical id, e.g. ErrorTopic") String logicalId)
      throws IOException, InterruptedException {
    return send("delete-resource", Map.of("stack", stack, "logicalId", logicalId));
  }

  @Command(name = "retained", mixinStandardHelpOptions = true,
      description = {"Lists the resources of the simulated account that belong to no stack, one a line: type,"
          + " physical id, tags. They are those a stack kept when it went (the table and bucket with the default"
          + " spec.dataRetention: Retain, API Gateway's CloudWatch role) and those made with foreign-table and"
          + " foreign-bucket."})
  int retained() throws IOException, InterruptedException {
    return send("retained", Map.of());
  }

  @Command(name = "foreign-table", mixinStandardHelpOptions = true,
      description = {"Someone makes a DynamoDB table outside CloudFormation in the simulated account. A stack whose"
          + " table has this name then fails to create it (the name is taken) unless it imports it.",
          "Example: simulate foreign-table orders-prod-processing-table owner=team-b"})
  int foreignTable(
      @Parameters(index = "0", paramLabel = "NAME", description = "The table's name") String name,
      @Parameters(index = "1..*", arity = "0..*", paramLabel = "KEY=VALUE", description = "Its tags") List<String> tags)
      throws IOException, InterruptedException {
    return foreign("foreign-table", name, tags);
  }

  @Command(name = "foreign-bucket", mixinStandardHelpOptions = true,
      description = {"Someone makes an S3 bucket outside CloudFormation in the simulated account. A stack whose"
          + " bucket has this name then fails to create it (bucket names are global) unless it imports it.",
          "Example: simulate foreign-bucket orders-prod-processed-data-123456789012 owner=team-b"})
  int foreignBucket(
      @Parameters(index = "0", paramLabel = "NAME", description = "The bucket's name") String name,
      @Parameters(index = "1..*", arity = "0..*", paramLabel = "KEY=VALUE", description = "Its tags") List<String> tags)
      throws IOException, InterruptedException {
    return foreign("foreign-bucket", name, tags);
  }

  private int foreign(String action, String name, List<String> tags) throws IOException, InterruptedException {
    List<String> pairs = tags == null ? List.of() : tags;
    for (String pair : pairs) {
      if (pair.indexOf('=') <= 0) {
        spec.commandLine().getErr().println("error: a tag is KEY=VALUE, e.g. owner=team-b, got " + pair);
        return 2;
      }
      if (pair.indexOf(',') >= 0) {
        // the control endpoint separates tags with commas; AWS allows no comma in a tag either
        spec.commandLine().getErr().println("error: a tag may not contain ',' (AWS allows letters, digits, spaces"
            + " and + - = . _ : / @ in tags), got " + pair);
        return 2;
      }
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("name", name);
    form.put("tags", String.join(",", pairs));
    return send(action, form);
  }

  private int send(String action, Map<String, String> form) throws IOException, InterruptedException {
    List<Path> candidates = candidates();
    Optional<Path> found = candidates.stream().filter(d -> Files.isRegularFile(d.resolve(Sandbox.STATE_FILE)))
        .findFirst();
    if (found.isEmpty()) {
      spec.commandLine().getErr().printf("error: no sandbox is running with directory %s (no %s there); start one"
          + " with `%s`, or, if it runs with another directory, pass that one: simulate --dir DIR %s ...%n",
          candidates.stream().map(Path::toString).collect(Collectors.joining(" nor ")), Sandbox.STATE_FILE,
          SandboxCommand.self(), action);
      return 1;
    }
    Path dir = found.get();
    Path stateFile = dir.resolve(Sandbox.STATE_FILE);
    Properties state = new Properties();
    try (InputStream in = Files.newInputStream(stateFile)) {
      state.load(in);
    }
    String body = form.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + state.getProperty("control.port") + "/simulate/" + action))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header(ControlServer.TOKEN_HEADER, state.getProperty("control.token", ""))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      spec.commandLine().getErr().printf("error: the sandbox of %s is not running any more (%s is stale)%n", dir,
          Sandbox.STATE_FILE);
      return 1;
    }
    if (response.statusCode() == 200) {
      spec.commandLine().getOut().print(response.body());
      spec.commandLine().getOut().flush();
      return 0;
    }
    spec.commandLine().getErr().print("error: " + response.body());
    spec.commandLine().getErr().flush();
    return 1;
  }

  /**
   * The directories the running sandbox may use, in order: {@code --dir} (before or after {@code simulate}) alone when
   * given; else the directory of each file that {@code $KUBECONFIG} lists (the sandbox writes its kubeconfig next to
   * its state file, and its banner exports it), then {@code ./.sandbox}.
   */
  private List<Path> candidates() {
    Path given = this.dir != null ? this.dir : sandbox.dir;
    if (given != null) {
      return List.of(given.toAbsolutePath().normalize());
    }
    Set<Path> candidates = new LinkedHashSet<>();
    String kubeconfig = sandbox.environment.getOrDefault("KUBECONFIG", "");
    for (String entry : kubeconfig.split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        Path parent = Path.of(entry).toAbsolutePath().normalize().getParent();
        if (parent != null) {
          candidates.add(parent);
        }
      }
    }
    candidates.add(SandboxCommand.DEFAULT_DIR.toAbsolutePath().normalize());
    return List.copyOf(candidates);
  }
}
