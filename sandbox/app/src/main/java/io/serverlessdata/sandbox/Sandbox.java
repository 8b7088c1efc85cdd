package io.serverlessdata.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.serverlessdata.operator.app.OperatorConfig;
import io.serverlessdata.operator.app.OperatorRuntime;
import io.serverlessdata.operator.cloudformation.ClientSettings;
import io.serverlessdata.operator.reconciler.ReconcilerSettings;
import io.serverlessdata.simulator.CloudFormationSimulator;
import io.serverlessdata.simulator.ControlServer;
import io.serverlessdata.simulator.Timings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The whole flow on one machine: an embedded Kubernetes API with the CRD installed, the CloudFormation simulator,
 * and the real operator (JOSDK, reconciler, AWS SDK client) against both. Nothing reaches a cluster or AWS: the
 * SDK's endpoint is the simulator on 127.0.0.1 and its credentials are dummies. Writes a kubeconfig for
 * {@code kubectl} and a state file for {@code simulate} into its directory.
 */
final class Sandbox implements AutoCloseable {

  static final String CRD_RESOURCE = "META-INF/fabric8/serverlessdatastacks.serverlessdata.io-v1.yml";
  static final String KUBECONFIG = "kubeconfig";
  static final String STATE_FILE = "sandbox.properties";
  static final String NAMESPACE = "default";
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /**
   * The production pacing, as a user on AWS has it: the account's stacks are listed every 10 s while one moves and
   * every 2 minutes otherwise, so {@code kubectl get sds} follows a stack within seconds of the simulator and an
   * out-of-band change within two minutes.
   */
  static final ReconcilerSettings PACE = ReconcilerSettings.defaults();

  private final Path dir;
  private final SandboxApiServer api;
  private final NamespacedKubernetesClient client;
  private final CloudFormationSimulator simulator;
  private final ControlServer control;
  private final OperatorRuntime operator;

  private Sandbox(Path dir, Timings timings, ReconcilerSettings pace, Clock clock) throws IOException {
    this.dir = dir;
    List<AutoCloseable> started = new ArrayList<>();
    try {
      api = SandboxApiServer.start(clock);
      started.add(api);
      client = api.createClient();
      started.add(client);
      installCrd(client);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
      simulator = CloudFormationSimulator.start(clock, timings);
      started.add(simulator);
      control = ControlServer.start(simulator);
      started.add(control);
      // API Gateway's GetApiKey (exported Secrets) is answered by the simulator too
      OperatorConfig config = OperatorConfig.defaults()
          .withConcurrency(4)
          .withReconciler(pace)
          .withRetry(Duration.ofSeconds(1), Duration.ofSeconds(10))
          .withAws(OperatorConfig.AwsEndpoints.all(simulator.endpoint()), ClientSettings.defaults(Optional.empty())
              .withCredentials(StaticCredentialsProvider.create(
                  AwsBasicCredentials.create("AKIASANDBOXNOTREAL00", "sandbox-credentials-reach-nothing"))));
      operator = OperatorRuntime.create(config, client, clock);
      started.add(operator);
      operator.start();
      writeFiles();
    } catch (IOException | RuntimeException e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** Starts everything and writes the kubeconfig and the state file into {@code dir}. */
  static Sandbox start(Path dir, Timings timings, ReconcilerSettings pace, Clock clock) {
    try {
      return new Sandbox(dir, timings, pace, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the sandbox in " + dir, e);
    }
  }

  Path kubeconfig() {
    return dir.resolve(KUBECONFIG);
  }

  String apiUrl() {
    return api.url().toString();
  }

  String simulatorUrl() {
    return simulator.endpoint().toString();
  }

  NamespacedKubernetesClient client() {
    return client;
  }

  CloudFormationSimulator simulator() {
    return simulator;
  }

  /** Creates or updates every object of a manifest, like {@code kubectl apply}; returns what it applied. */
  List<HasMetadata> apply(InputStream manifest) {
    List<HasMetadata> applied = new ArrayList<>();
    for (HasMetadata item : client.load(manifest).items()) {
      if (item.getMetadata().getNamespace() == null) {
        item.getMetadata().setNamespace(NAMESPACE);
      }
      // what kubectl apply records, so that a later kubectl apply of the same object merges instead of warning
      item.getMetadata().getAnnotations().put(LAST_APPLIED, client.getKubernetesSerialization().asJson(item));
      applied.add(client.resource(item).createOr(NonDeletingOperation::update));
    }
    return applied;
  }

  private static void installCrd(NamespacedKubernetesClient client) throws IOException {
    try (InputStream crd = Sandbox.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
      if (crd == null) {
        throw new IOException("the CRD " + CRD_RESOURCE + " is missing from the classpath");
      }
      client.apiextensions().v1().customResourceDefinitions()
          .resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
    }
  }

  private void writeFiles() throws IOException {
    Files.createDirectories(dir);
    String kubeconfig = String.join("\n",
        "# written by serverless-data-stack-sandbox; valid while it runs",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: sds-sandbox",
        "  cluster:",
        "    server: " + api.url(),
        "users:",
        "- name: sds-sandbox",
        "  user: {}",
        "contexts:",
        "- name: sds-sandbox",
        "  context:",
        "    cluster: sds-sandbox",
        "    user: sds-sandbox",
        "    namespace: " + NAMESPACE,
        "current-context: sds-sandbox",
        "");
    Files.writeString(kubeconfig(), kubeconfig, StandardCharsets.UTF_8);
    writeState(dir, control, api.url().toString(), simulator.endpoint().toString());
  }

  /**
   * Writes the state file that {@code simulate} reads: the control endpoint's port and token (mode 600), and where
   * the APIs listen.
   */
  static void writeState(Path dir, ControlServer control, String apiUrl, String cloudFormationEndpoint)
      throws IOException {
    Properties state = new Properties();
    state.setProperty("control.port", String.valueOf(control.port()));
    state.setProperty("control.token", control.token());
    state.setProperty("api.url", apiUrl);
    state.setProperty("cloudformation.endpoint", cloudFormationEndpoint);
    Path file = dir.resolve(STATE_FILE);
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
      state.store(out, "the running sandbox's control endpoint, for `simulate`");
    }
  }

  /** Stops the operator, then the servers, and removes the state file (the kubeconfig stays, pointing nowhere). */
  @Override
  public void close() {
    try {
      operator.close();
    } finally {
      control.close();
      simulator.close();
      client.close();
      api.close();
      try {
        Files.deleteIfExists(dir.resolve(STATE_FILE));
      } catch (IOException e) {
        // the next start overwrites it
      }
    }
  }
}
