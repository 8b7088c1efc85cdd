package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar that the image runs ({@code package} builds it before the ITs run): the operator and its libraries,
 * and nothing of the tests' tools. The mock API server, the CloudFormation simulator and the sandbox live in
 * {@code sandbox/} and are test dependencies of this module.
 */
class ProductionJarIT {

  /** Packages of kubernetes-server-mock and the mock web servers, of the simulator and of the sandbox. */
  private static final List<String> TEST_ONLY = List.of(
      "io/fabric8/kubernetes/client/server/mock/",
      "io/fabric8/mockwebserver/",
      "okhttp3/mockwebserver/",
      "io/serverlessdata/simulator/",
      "io/serverlessdata/sandbox/",
      "io/serverlessdata/operator/sandbox/");

  private static List<String> entries;
  private static String mainClass;

  @BeforeAll
  static void readTheJar() throws IOException {
    String location = System.getProperty("sds.operatorJar");
    assertThat(location).as("the system property sds.operatorJar (set by the failsafe configuration)").isNotBlank();
    Path jar = Path.of(location);
    assertThat(Files.isRegularFile(jar)).as("%s exists (mvn package builds it)", jar).isTrue();
    try (JarFile file = new JarFile(jar.toFile())) {
      entries = file.stream().map(ZipEntry::getName).toList();
      mainClass = file.getManifest().getMainAttributes().getValue("Main-Class");
    }
  }

  @Test
  void holdsTheOperatorItsCrdAndItsLibrariesAndStartsMain() {
    assertThat(mainClass).isEqualTo(Main.class.getName());
    assertThat(entries).contains(
        "io/serverlessdata/operator/app/Main.class",
        "io/serverlessdata/operator/app/RunCommand.class",
        "io/serverlessdata/operator/app/RenderCommand.class",
        "io/serverlessdata/operator/reconciler/ServerlessDataStackReconciler.class",
        "META-INF/fabric8/serverlessdatastacks.serverlessdata.io-v1.yml",
        "lambda/index.js",
        "io/javaoperatorsdk/operator/Operator.class",
        "io/fabric8/kubernetes/client/KubernetesClient.class",
        "software/amazon/awssdk/services/cloudformation/CloudFormationClient.class",
        "picocli/CommandLine.class");
  }

  @Test
  void carriesNoMockServerNoSimulatorAndNoSandbox() {
    for (String prefix : TEST_ONLY) {
      assertThat(under(prefix)).as("entries under %s", prefix).isEmpty();
    }
  }

  @Test
  void carriesNeitherVertxNorNetty() {
    // the mock web server's HTTP stack; the operator talks HTTP through the JDK client (the pom excludes fabric8's
    // Vert.x client and the SDK's Netty client)
    assertThat(under("io/vertx/")).as("entries under io/vertx/").isEmpty();
    assertThat(under("io/netty/")).as("entries under io/netty/").isEmpty();
  }

  /** The first few entries under a path, enough for a failure message. */
  private static List<String> under(String prefix) {
    return entries.stream().filter(e -> e.startsWith(prefix)).limit(5).toList();
  }
}
