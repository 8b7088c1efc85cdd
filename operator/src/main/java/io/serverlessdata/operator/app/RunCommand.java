package io.serverlessdata.operator.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.serverlessdata.operator.cloudformation.AwsStackOperations;
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
import picocli.CommandLine.Command;
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

  @Option(names = "--resync-interval", defaultValue = "${env:SDS_RESYNC_INTERVAL:-PT30M}",
      description = "How often a synced stack is looked at again, ISO-8601 (env SDS_RESYNC_INTERVAL, default ${DEFAULT-VALUE}).")
  Duration steadyInterval;

  @Option(names = "--aws-calls-per-second", defaultValue = "${env:SDS_AWS_CALLS_PER_SECOND:-5}",
      description = {"AWS requests per second for the whole operator, retries included (env SDS_AWS_CALLS_PER_SECOND,",
          "default ${DEFAULT-VALUE}); reconciles wait for their turn rather than be throttled."})
  double awsCallsPerSecond;

  @Option(names = "--aws-call-burst", defaultValue = "${env:SDS_AWS_CALL_BURST:-10}",
      description = "AWS requests allowed at once after a quiet spell (env SDS_AWS_CALL_BURST, default ${DEFAULT-VALUE}).")
  int awsCallBurst;

  @Override
  public Integer call() throws InterruptedException {
    Optional<URI> cloudFormationEndpoint = blank(endpoint) ? Optional.empty() : Optional.of(URI.create(endpoint));
    ReconcilerSettings defaults = ReconcilerSettings.defaults();
    OperatorConfig config = new OperatorConfig(
        namespaces == null ? Set.of() : Arrays.stream(namespaces).filter(n -> !blank(n)).collect(Collectors.toSet()),
        concurrency,
        cloudFormationEndpoint,
        new ReconcilerSettings(defaults.progressInterval(), defaults.blockedInterval(), steadyInterval,
            blank(roleArn) ? Optional.empty() : Optional.of(roleArn)),
        OperatorConfig.defaults().retryInitial(),
        OperatorConfig.defaults().retryMax(),
        awsCallsPerSecond,
        awsCallBurst);

    KubernetesClient kubernetes = new KubernetesClientBuilder().build();
    // one budget for every client and every reconcile
    AwsStackOperations cloudFormation = AwsStackOperations.create(
        ClientSettings.defaults(cloudFormationEndpoint).withBudget(config.awsCallBudget()));
    Operator operator = OperatorRuntime.create(kubernetes, cloudFormation, config, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping: finishing reconciles in flight");
      operator.stop();
      kubernetes.close();
      stopped.countDown();
    }, "shutdown"));
    operator.start();
    LOG.info("watching {} with {} reconciles at once, AWS budget {} calls/s (burst {})",
        config.namespaces().isEmpty() ? "all namespaces" : config.namespaces(), config.concurrency(),
        config.awsCallsPerSecond(), config.awsCallBurst());
    stopped.await();
    return 0;
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
