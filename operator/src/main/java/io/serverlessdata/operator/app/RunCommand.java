package io.serverlessdata.operator.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.serverlessdata.operator.api.SpecDefaults;
import io.serverlessdata.operator.cloudformation.ClientSettings;
import io.serverlessdata.operator.reconciler.ReconcilerSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** Runs the operator against the cluster of the current kubeconfig or service account, and AWS. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Watches ServerlessDataStack resources and drives their CloudFormation stacks in us-east-1.",
        "AWS credentials come from the default chain (IRSA or EKS Pod Identity in a cluster)."})
final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Spec
  CommandSpec spec;

  @Option(names = "--namespaces", paramLabel = "NS[,NS...]", split = ",",
      defaultValue = "${env:SDS_WATCH_NAMESPACES:-}",
      description = "Namespaces to watch, comma-separated; all when empty (env SDS_WATCH_NAMESPACES).")
  String[] namespaces;

  @Option(names = "--concurrency", defaultValue = "${env:SDS_CONCURRENCY:-10}",
      description = "Resources reconciled at once (env SDS_CONCURRENCY, default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--cloudformation-role-arn", defaultValue = "${env:SDS_CLOUDFORMATION_ROLE_ARN:-}",
      description = "Service role for stacks whose spec names none (env SDS_CLOUDFORMATION_ROLE_ARN).")
  String roleArn;

  @Option(names = "--cloudformation-endpoint", defaultValue = "${env:SDS_CLOUDFORMATION_ENDPOINT:-}",
      description = "Overrides CloudFormation's us-east-1 endpoint, e.g. a VPC endpoint (env SDS_CLOUDFORMATION_ENDPOINT).")
  String endpoint;

  @Option(names = "--apigateway-endpoint", defaultValue = "${env:SDS_APIGATEWAY_ENDPOINT:-}",
      description = "Overrides API Gateway's us-east-1 endpoint, used to read API key values for exported Secrets"
          + " (env SDS_APIGATEWAY_ENDPOINT).")
  String apiGatewayEndpoint;

  @Option(names = "--sts-endpoint", defaultValue = "${env:SDS_STS_ENDPOINT:-}",
      description = "Overrides STS's endpoint, used once to read the account's id (env SDS_STS_ENDPOINT).")
  String stsEndpoint;

  @Option(names = "--dynamodb-endpoint", defaultValue = "${env:SDS_DYNAMODB_ENDPOINT:-}",
      description = "Overrides DynamoDB's us-east-1 endpoint, used to read a retained table's tags before a new stack"
          + " imports it (env SDS_DYNAMODB_ENDPOINT).")
  String dynamoDbEndpoint;

  @Option(names = "--s3-endpoint", defaultValue = "${env:SDS_S3_ENDPOINT:-}",
      description = "Overrides S3's us-east-1 endpoint (addressed path-style), used to read a retained bucket's tags"
          + " before a new stack imports it (env SDS_S3_ENDPOINT).")
  String s3Endpoint;

  @Option(names = "--resync-interval", defaultValue = "${env:SDS_RESYNC_INTERVAL:-PT30M}",
      description = "How often a synced stack is looked at again, ISO-8601 (env SDS_RESYNC_INTERVAL, default ${DEFAULT-VALUE}).")
  Duration steadyInterval;

  @Option(names = "--drift-interval-minutes", defaultValue = "${env:SDS_DRIFT_INTERVAL_MINUTES:-}",
      description = "Minutes between drift checks for resources whose spec.driftDetection.intervalMinutes is not set;"
          + " at least 5 (env SDS_DRIFT_INTERVAL_MINUTES; default: the spec's default, 60).")
  String driftIntervalMinutes;

  @Option(names = "--health-port", defaultValue = "${env:SDS_HEALTH_PORT:-8080}",
      description = "Port of /healthz, /readyz and /metrics (env SDS_HEALTH_PORT, default ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(names = "--leader-election", defaultValue = "${env:SDS_LEADER_ELECTION:-false}", arity = "0..1",
      description = "Only reconcile while holding a Lease; needed with more than one replica (env SDS_LEADER_ELECTION).")
  boolean leaderElection;

  @Option(names = "--lease-name", defaultValue = "${env:SDS_LEASE_NAME:-serverless-data-stack-operator}",
      description = "Name of the leader-election Lease (env SDS_LEASE_NAME, default ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(names = "--lease-namespace", defaultValue = "${env:SDS_LEASE_NAMESPACE:-${env:POD_NAMESPACE:-}}",
      description = "Namespace of the Lease, the operator's own (env SDS_LEASE_NAMESPACE, else POD_NAMESPACE).")
  String leaseNamespace;

  @Option(names = "--aws-calls-per-second", defaultValue = "${env:SDS_AWS_CALLS_PER_SECOND:-5}",
      description = {"AWS requests per second for the whole operator, retries included (env SDS_AWS_CALLS_PER_SECOND,",
          "default ${DEFAULT-VALUE}); reconciles wait for their turn rather than be throttled."})
  double awsCallsPerSecond;

  @Option(names = "--aws-call-burst", defaultValue = "${env:SDS_AWS_CALL_BURST:-10}",
      description = "AWS requests allowed at once after a quiet spell (env SDS_AWS_CALL_BURST, default ${DEFAULT-VALUE}).")
  int awsCallBurst;

  @Override
  public Integer call() throws Exception {
    String logFormat = System.getenv().getOrDefault("SDS_LOG_FORMAT", "text");
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "SDS_LOG_FORMAT must be text or json, got '" + logFormat + "'");
    }
    Optional<Duration> driftInterval = driftInterval();
    ReconcilerSettings defaults = ReconcilerSettings.defaults();
    OperatorConfig config = OperatorConfig.defaults()
        .withNamespaces(namespaces == null ? Set.of()
            : Arrays.stream(namespaces).filter(n -> !blank(n)).collect(Collectors.toSet()))
        .withConcurrency(concurrency)
        .withReconciler(defaults.withSteadyInterval(steadyInterval)
            .withDefaultRoleArn(blank(roleArn) ? Optional.empty() : Optional.of(roleArn))
            .withDefaultDriftInterval(driftInterval))
        .withAws(new OperatorConfig.AwsEndpoints(uri(endpoint), uri(apiGatewayEndpoint), uri(stsEndpoint),
                uri(dynamoDbEndpoint), uri(s3Endpoint)),
            ClientSettings.defaults(Optional.empty()))
        .withAwsCallBudget(awsCallsPerSecond, awsCallBurst)
        .withLeaderElection(leaderElection
            ? Optional.of(LeaderElection.Settings.of(leaseName, leaseNamespace, identity()))
            : Optional.empty());

    KubernetesClient kubernetes = new KubernetesClientBuilder().build();
    OperatorRuntime runtime = OperatorRuntime.create(config, kubernetes, Clock.systemUTC());
    Optional<LeaderElection> election = runtime.leaderElection();
    Probes probes = new Probes(runtime.operator(), election);
    OpsServer ops = OpsServer.start(healthPort, probes::liveness, probes::readiness, runtime.metrics()::scrape);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // SIGTERM: leave the Service's endpoints, let reconciles in flight finish, then close the rest
      LOG.info("stopping: finishing reconciles in flight");
      probes.stopping();
      election.ifPresent(LeaderElection::shuttingDown);
      try {
        runtime.close();
      } finally {
        ops.close();
        kubernetes.close();
        stopped.countDown();
      }
    }, "shutdown"));
    runtime.start();
    LOG.info("watching {} with {} reconciles at once, AWS budget {} calls/s (burst {}){}",
        config.namespaces().isEmpty() ? "all namespaces" : config.namespaces(), config.concurrency(),
        config.awsCallsPerSecond(), config.awsCallBurst(), election.map(e -> ", leader election on " + e).orElse(""));
    stopped.await();
    return 0;
  }

  /** This replica's name in the Lease: the pod's name (downward API), else the host name. */
  private static String identity() throws java.net.UnknownHostException {
    String pod = System.getenv("POD_NAME");
    return blank(pod) ? java.net.InetAddress.getLocalHost().getHostName() : pod;
  }

  /** The operator-wide drift interval, if set: whole minutes, at least the spec's minimum. */
  private Optional<Duration> driftInterval() {
    if (blank(driftIntervalMinutes)) {
      return Optional.empty();
    }
    int minutes;
    try {
      minutes = Integer.parseInt(driftIntervalMinutes.trim());
    } catch (NumberFormatException e) {
      minutes = -1;
    }
    if (minutes < SpecDefaults.MIN_DRIFT_INTERVAL_MINUTES) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--drift-interval-minutes"
          + " (SDS_DRIFT_INTERVAL_MINUTES) must be a whole number of minutes, at least "
          + SpecDefaults.MIN_DRIFT_INTERVAL_MINUTES + ", got '" + driftIntervalMinutes + "'");
    }
    return Optional.of(Duration.ofMinutes(minutes));
  }

  private static Optional<URI> uri(String value) {
    return blank(value) ? Optional.empty() : Optional.of(URI.create(value.trim()));
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
