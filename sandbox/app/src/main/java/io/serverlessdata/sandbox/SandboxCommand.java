package io.serverlessdata.sandbox;

import ch.qos.logback.classic.Level;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.app.RenderCommand;
import io.serverlessdata.operator.reconciler.ConditionTypes;
import io.serverlessdata.operator.reconciler.StatusConditions;
import io.serverlessdata.simulator.Timings;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The sandbox's command line ({@code java -jar serverless-data-stack-sandbox-<version>.jar}): the operator on one
 * machine, with an embedded Kubernetes API and a simulated CloudFormation; {@code simulate ...} injects faults into
 * a running sandbox, and the operator's {@code render} prints a manifest's template.
 */
@Command(
    name = "serverless-data-stack-sandbox",
    mixinStandardHelpOptions = true,
    versionProvider = SandboxCommand.Version.class,
    subcommands = {SimulateCommand.class, RenderCommand.class},
    description = {
        "Runs the operator on this machine against an embedded Kubernetes API (for kubectl) and a simulated "
            + "CloudFormation. Needs no cluster and no AWS account: nothing reaches AWS.",
        "",
        "kubectl works for apply, get (with printer columns), get -o yaml|json|jsonpath, describe, edit, explain, "
            + "wait and delete. Not served: watches over HTTP (kubectl get -w), apply --server-side and "
            + "strategic-merge patches; the embedded API does not enforce the CRD schema (the operator validates "
            + "and reports an invalid spec as ACK.Terminal).",
        ""},
    footer = {"", "Inject faults into the running sandbox with `simulate --help`."})
public final class SandboxCommand implements Callable<Integer> {

  /** The sandbox jar's name in a build tree, relative to the repository. */
  static final String JAR = "sandbox/app/target/serverless-data-stack-sandbox-<version>.jar";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Where the kubeconfig and the state file go without {@code --dir}, relative to the working directory. */
  static final Path DEFAULT_DIR = Path.of(".sandbox");

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Directory for the kubeconfig and the sandbox's state file (default .sandbox).")
  Path dir;

  /** The process's environment ({@code simulate} reads {@code KUBECONFIG}); tests pass their own. */
  final Map<String, String> environment;

  @Option(names = "--apply", paramLabel = "FILE",
      description = "Manifest to create or update once the sandbox runs (repeatable), e.g. examples/stack.yaml.")
  List<Path> manifests = List.of();

  @Option(names = "--exit-when-synced",
      description = "Exit 0 once every ServerlessDataStack is ACK.ResourceSynced=True; 1 on ACK.Terminal, 2 on timeout.")
  boolean exitWhenSynced;

  @Option(names = "--timeout", defaultValue = "PT3M",
      description = "Longest wait of --exit-when-synced, ISO-8601 (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--stack-seconds", defaultValue = "5",
      description = "Seconds a simulated stack takes to create (updates, rollbacks and deletes take a little less;"
          + " default ${DEFAULT-VALUE}).")
  int stackSeconds;

  /** Without a command, runs the sandbox. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  static CommandLine commandLine(Map<String, String> environment) {
    return new CommandLine(new SandboxCommand(environment));
  }

  private SandboxCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (stackSeconds < 1 || stackSeconds > 600) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--stack-seconds must be between 1 and 600, got " + stackSeconds);
    }
    for (Path manifest : manifests) {
      if (!java.nio.file.Files.isRegularFile(manifest)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--apply: no such file " + manifest);
      }
    }
    quietLibraries();
    PrintWriter out = spec.commandLine().getOut();
    Path directory = (dir != null ? dir : DEFAULT_DIR).toAbsolutePath().normalize();
    Sandbox sandbox = Sandbox.start(directory, timings(stackSeconds), Sandbox.PACE, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      sandbox.close();
      stopped.countDown();
    }, "sandbox-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(banner(sandbox, directory));
    out.flush();
    for (Path manifest : manifests) {
      try (InputStream in = new FileInputStream(manifest.toFile())) {
        sandbox.apply(in).forEach(o -> out.printf("applied %s %s/%s%n", o.getKind(), o.getMetadata().getNamespace(),
            o.getMetadata().getName()));
      }
      out.flush();
    }
    if (!exitWhenSynced) {
      stopped.await();
      return 0;
    }
    int code = awaitSynced(sandbox, out);
    Runtime.getRuntime().removeShutdownHook(hook);
    sandbox.close();
    return code;
  }

  /** Stacks take {@code seconds} to create; the other operations are scaled alike. */
  static Timings timings(int seconds) {
    Duration create = Duration.ofSeconds(seconds);
    return new Timings(Duration.ofMillis(500), create, create.multipliedBy(4).dividedBy(5), create.dividedBy(5),
        create.multipliedBy(3).dividedBy(5), create.multipliedBy(3).dividedBy(5));
  }

  private int awaitSynced(Sandbox sandbox, PrintWriter out) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      List<ServerlessDataStack> all = sandbox.client().resources(ServerlessDataStack.class).inAnyNamespace().list()
          .getItems();
      Optional<ServerlessDataStack> terminal = all.stream().filter(r -> is(r, ConditionTypes.TERMINAL)).findFirst();
      if (terminal.isPresent()) {
        out.printf("%s/%s is terminal: %s%n", terminal.get().getMetadata().getNamespace(),
            terminal.get().getMetadata().getName(), StatusConditions.find(terminal.get().getStatus().getConditions(),
                ConditionTypes.TERMINAL).map(c -> c.getReason() + ": " + c.getMessage()).orElse(""));
        out.flush();
        return 1;
      }
      if (!all.isEmpty() && all.stream().allMatch(SandboxCommand::synced)) {
        all.forEach(r -> out.printf("%s/%s synced: %s, %s%n", r.getMetadata().getNamespace(), r.getMetadata().getName(),
            r.getStatus().getStackStatus(), r.getStatus().getOutputs()));
        out.flush();
        return 0;
      }
      Thread.sleep(500);
    }
    out.printf("not synced within %s%n", timeout);
    out.flush();
    return 2;
  }

  private static boolean synced(ServerlessDataStack r) {
    return is(r, ConditionTypes.SYNCED) && r.getStatus().getObservedGeneration() != null
        && r.getStatus().getObservedGeneration().equals(r.getMetadata().getGeneration());
  }

  private static boolean is(ServerlessDataStack r, String condition) {
    return r.getStatus() != null && StatusConditions.find(r.getStatus().getConditions(), condition)
        .filter(c -> "True".equals(c.getStatus())).isPresent();
  }

  private static String banner(Sandbox sandbox, Path directory) {
    return String.join(System.lineSeparator(),
        "",
        "Serverless Data Stack sandbox is running. NOTHING REACHES AWS: CloudFormation is simulated on this",
        "machine (" + sandbox.simulatorUrl() + ", dummy credentials) and Kubernetes is an embedded API server",
        "(" + sandbox.apiUrl() + ", objects in memory, gone when the sandbox stops).",
        "",
        "In another terminal:",
        "  export KUBECONFIG=" + sandbox.kubeconfig(),
        "  kubectl apply -f examples/stack.yaml",
        "  kubectl get sds",
        "  kubectl describe sds orders",
        "  kubectl delete sds orders",
        "Inject faults (in that terminal simulate finds this sandbox through $KUBECONFIG; elsewhere add --dir "
            + directory + "):",
        "  SANDBOX=\"" + self() + "\"",
        "  $SANDBOX simulate fail default-orders ProcessingTable \"Simulated: table limit\"   (then change the spec)",
        "  $SANDBOX simulate delete-stack default-orders",
        "  $SANDBOX simulate throttle 5",
        "Stop with Ctrl-C.",
        "");
  }

  /**
   * How to run this command again: {@code java -jar} and the jar it was started from (relative to the working
   * directory when under it), or {@link #JAR} when it runs from classes (tests, an IDE).
   */
  static String self() {
    CodeSource source = SandboxCommand.class.getProtectionDomain().getCodeSource();
    if (source != null && source.getLocation() != null && "file".equals(source.getLocation().getProtocol())) {
      try {
        Path location = Path.of(source.getLocation().toURI());
        if (location.getFileName() != null && location.getFileName().toString().endsWith(".jar")) {
          Path workingDirectory = Path.of("").toAbsolutePath();
          return "java -jar " + (location.startsWith(workingDirectory) ? workingDirectory.relativize(location)
              : location);
        }
      } catch (URISyntaxException e) {
        // not a path: fall back to the usual one
      }
    }
    return "java -jar " + JAR;
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = SandboxCommand.class.getPackage().getImplementationVersion();
      return new String[] {"serverless-data-stack-sandbox " + (version == null ? "(development build)" : version)};
    }
  }

  /**
   * Framework chatter at WARN unless SDS_LOG_LEVEL asks otherwise; the operator's own log stays at INFO (and, as in
   * {@code run}, an AWS fault that is retried is one WARN line: {@code RetriedAwsFaults} in the operator's
   * {@code logback.xml}).
   */
  static void quietLibraries() {
    if (System.getenv("SDS_LOG_LEVEL") != null) {
      return;
    }
    for (String name : List.of("io.javaoperatorsdk", "io.fabric8", "io.vertx", "io.netty", "software.amazon")) {
      if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
        logger.setLevel(Level.WARN);
      }
    }
  }
}
