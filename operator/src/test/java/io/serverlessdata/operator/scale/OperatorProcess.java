package io.serverlessdata.operator.scale;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.serverlessdata.operator.app.OperatorConfig;
import io.serverlessdata.operator.app.OperatorRuntime;
import io.serverlessdata.operator.cloudformation.ClientSettings;
import io.serverlessdata.operator.reconciler.ReconcilerSettings;
import io.serverlessdata.operator.reconciler.StackListing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The operator of the scale run in a JVM of its own, so that its heap and RSS are measured without the mock API
 * server and the simulator: {@link ScaleRun} starts it with the test classpath and talks to it over stdin/stdout.
 * It runs the production configuration (pacing, retries, budget) on the run's compressed clock.
 *
 * <p>Arguments: API server URL, CloudFormation endpoint, namespace, clock origin, clock anchor (epoch ms), time
 * scale, budget (calls per simulated second), burst, concurrency. Commands, one a line: {@code progress} (resources
 * reconciled since the last reset), {@code stats} (reconcile latencies, failures, heap after GC, RSS), {@code reset},
 * {@code stop}. Answers are lines starting with {@value #PREFIX}; anything else on stdout is the operator's log.
 */
public final class OperatorProcess {

  static final String PREFIX = "scale-operator ";

  private OperatorProcess() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 9) {
      throw new IllegalArgumentException("expected 9 arguments (api server, endpoint, namespace, clock origin,"
          + " clock anchor, time scale, budget, burst, concurrency), got " + args.length);
    }
    String masterUrl = args[0];
    URI endpoint = URI.create(args[1]);
    String namespace = args[2];
    ScaledClock clock = new ScaledClock(Instant.parse(args[3]), Double.parseDouble(args[5]), Long.parseLong(args[4]));
    double budget = Double.parseDouble(args[6]);
    int burst = Integer.parseInt(args[7]);
    int concurrency = Integer.parseInt(args[8]);

    // the production configuration, every interval JOSDK or the listing waits for and the budget scaled from
    // simulated to real seconds. The drift detection timeout is compared with the operator's (simulated) clock, so
    // it stays as it is: scaled, every event between 15 s and the end of a 45-s detection asked for its status. (As
    // a requeue delay it is then 20 times too long, but the steady interval caps it, and the listing shows every
    // detection of the run completed long before.) The drift schedule has the opposite problem, which the run
    // cannot avoid: the reconciler hands the time until a detection is due (simulated) to JOSDK's timer (real), so
    // the steady interval's pass starts it, up to that interval late (see docs/performance.md).
    OperatorConfig production = OperatorConfig.defaults();
    ReconcilerSettings pacing = production.reconciler();
    StackListing.Pacing listing = pacing.listing();
    ClientSettings client = production.aws();
    OperatorConfig config = production
        .withNamespaces(Set.of(namespace))
        .withConcurrency(concurrency)
        .withReconciler(pacing
            .withPacing(clock.real(pacing.progressInterval()), clock.real(pacing.blockedInterval()),
                clock.real(pacing.steadyInterval()))
            .withListing(new StackListing.Pacing(clock.real(listing.shortInterval()),
                clock.real(listing.longInterval()), clock.real(listing.pagePause())),
                pacing.detectionTimeout()))
        .withRetry(clock.real(production.retryInitial()), clock.real(production.retryMax()))
        .withAws(OperatorConfig.AwsEndpoints.all(endpoint), client
            .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASIMULATOR", "simulator")))
            .withRetries(client.maxAttempts(), clock.real(client.baseDelay()), clock.real(client.throttlingBaseDelay()),
                clock.real(client.maxBackoff())))
        .withAwsCallBudget(budget * clock.scale(), burst);
    KubernetesClient kubernetes = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl(masterUrl).withNamespace(namespace).withTrustCerts(true).build())
        .build();
    ReconcileTimer timer = new ReconcileTimer();
    OperatorRuntime operator = OperatorRuntime.create(config, kubernetes, clock, timer);
    operator.start();
    answer("ready");

    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String command = commands.readLine(); command != null; command = commands.readLine()) {
      switch (command.trim()) {
        case "progress":
          answer("progress " + timer.reconciledResources());
          break;
        case "stats":
          answer(String.format(Locale.ROOT, "stats %d %d %d %.3f %.3f %d %d", timer.reconciles(),
              timer.reconciledResources(), timer.failures(), timer.percentileMillis(50), timer.percentileMillis(99),
              heapAfterGc(), rss()));
          break;
        case "reset":
          timer.reset();
          answer("reset");
          break;
        case "stop":
          operator.close();
          kubernetes.close();
          answer("stopped");
          System.exit(0);
          break;
        default:
          answer("unknown command " + command);
      }
    }
    // the parent went away: do not linger
    System.exit(1);
  }

  private static void answer(String line) {
    System.out.println(PREFIX + line);
    System.out.flush();
  }

  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Resident set size of this process, from /proc (Linux); -1 elsewhere. */
  static long rss() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("VmRSS:"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024)
          .findFirst().orElse(-1L);
    } catch (IOException e) {
      return -1;
    }
  }
}
