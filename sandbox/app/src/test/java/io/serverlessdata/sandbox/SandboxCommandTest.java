package io.serverlessdata.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serverlessdata.simulator.CloudFormationSimulator;
import io.serverlessdata.simulator.ControlServer;
import io.serverlessdata.simulator.RetainedResource;
import io.serverlessdata.simulator.Timings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The sandbox jar's command line: the sandbox without a command, {@code simulate ...}, and the operator's render. */
class SandboxCommandTest {

  private static final Path EXAMPLE = Path.of(System.getProperty("sds.repoRoot", "../.."), "examples", "stack.yaml");

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private int run(Map<String, String> environment, String... args) {
    CommandLine cli = SandboxCommand.commandLine(environment);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void helpShowsTheSandboxsOptionsAndItsTwoCommands() {
    assertThat(run("--help")).isZero();

    assertThat(out.toString()).contains("serverless-data-stack-sandbox", "--dir", "--apply", "--exit-when-synced",
        "--stack-seconds", "--timeout", "simulate", "render");
  }

  @Test
  void rendersTheExampleAsTheOperatorJarDoes() throws Exception {
    assertThat(run("render", "-f", EXAMPLE.toString())).isZero();

    JsonNode template = new ObjectMapper().readTree(out.toString());
    assertThat(template.path("AWSTemplateFormatVersion").asText()).isEqualTo("2010-09-09");
    assertThat(template.path("Resources").path("ProcessingTable").path("Type").asText())
        .isEqualTo("AWS::DynamoDB::Table");
  }

  @Test
  void renderTakesNoSandboxOption() {
    assertThat(run("render", "--help")).isZero();
    assertThat(out.toString()).contains("--filename").doesNotContain("--dir");
  }

  @Test
  void simulateFindsTheDirectoryGivenBeforeOrAfterIt() {
    Path before = dir.resolve("before");
    Path after = dir.resolve("after");

    assertThat(run("--dir", before.toString(), "simulate", "throttle", "2")).isEqualTo(1);
    assertThat(err.toString()).contains("no sandbox is running with directory " + before.toAbsolutePath(),
        "sandbox.properties", "java -jar ", "simulate --dir DIR throttle");

    assertThat(run("simulate", "throttle", "2", "--dir", after.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("no sandbox is running with directory " + after.toAbsolutePath());

    assertThat(run("simulate", "--dir", after.toString(), "delete-stack", "default-orders")).isEqualTo(1);
    assertThat(err.toString()).contains("no sandbox is running with directory " + after.toAbsolutePath());
  }

  @Test
  void aStackTimeOutOfRangeIsRefusedBeforeAnythingStarts() {
    assertThat(run("--dir", dir.toString(), "--stack-seconds", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--stack-seconds must be between 1 and 600, got 0");
  }

  @Test
  void withoutDirTheErrorNamesEveryDirectoryLookedInAndTheDirOption() {
    Path elsewhere = dir.resolve("elsewhere");

    assertThat(run(Map.of("KUBECONFIG", elsewhere.resolve("kubeconfig").toString()), "simulate", "retained"))
        .isEqualTo(1);

    assertThat(err.toString()).contains("no sandbox is running with directory " + elsewhere.toAbsolutePath()
        + " nor " + Path.of(".sandbox").toAbsolutePath(), "--dir DIR retained");
  }

  @Test
  void simulateHelpListsEveryAction() {
    assertThat(run("simulate", "--help")).isZero();

    assertThat(out.toString()).contains("fail", "delete-stack", "throttle", "drift", "delete-resource", "retained",
        "foreign-table", "foreign-bucket", "$KUBECONFIG");
  }

  /** {@code simulate} against a running control endpoint, found through the state file as the sandbox writes it. */
  @Nested
  class AgainstARunningControlEndpoint {

    private CloudFormationSimulator simulator;
    private ControlServer control;
    private Path running;

    @BeforeEach
    void start() throws Exception {
      simulator = CloudFormationSimulator.start(Clock.systemUTC(), Timings.defaults());
      control = ControlServer.start(simulator);
      running = Files.createDirectories(dir.resolve("running"));
      Sandbox.writeState(running, control, "http://127.0.0.1:1", simulator.endpoint().toString());
    }

    @AfterEach
    void stop() {
      control.close();
      simulator.close();
    }

    @Test
    void foreignTablesAndBucketsAreMadeWithTheirTagsAndRetainedListsThem() {
      assertThat(run("--dir", running.toString(), "simulate", "retained")).isZero();
      assertThat(out.toString()).contains("no resources outside a stack");

      assertThat(run("simulate", "foreign-table", "shared-table", "owner=team-b", "env=prod", "--dir",
          running.toString())).isZero();
      assertThat(run("simulate", "--dir", running.toString(), "foreign-bucket", "shared-bucket")).isZero();

      assertThat(out.toString()).contains("made table shared-table outside CloudFormation with tags {env=prod,"
          + " owner=team-b}", "made bucket shared-bucket outside CloudFormation with tags {}");
      assertThat(simulator.retainedResources()).containsExactly(
          new RetainedResource("AWS::DynamoDB::Table", "shared-table", Map.of("owner", "team-b", "env", "prod")),
          new RetainedResource("AWS::S3::Bucket", "shared-bucket", Map.of()));
      assertThat(run("simulate", "retained", "--dir", running.toString())).isZero();
      assertThat(out.toString()).contains("AWS::DynamoDB::Table shared-table {env=prod, owner=team-b}\n"
          + "AWS::S3::Bucket shared-bucket {}\n");
    }

    @Test
    void aTagThatIsNotKeyEqualsValueIsRefusedBeforeAnythingIsMade() {
      assertThat(run("simulate", "--dir", running.toString(), "foreign-table", "t", "owner")).isEqualTo(2);
      assertThat(err.toString()).contains("a tag is KEY=VALUE, e.g. owner=team-b, got owner");
      assertThat(run("simulate", "--dir", running.toString(), "foreign-bucket", "b", "team=a,b")).isEqualTo(2);
      assertThat(err.toString()).contains("may not contain ','", "got team=a,b");
      assertThat(simulator.retainedResources()).isEmpty();
    }

    @Test
    void aNameThatIsTakenIsReportedWithTheSimulatorsMessage() {
      simulator.createForeignBucket("taken", Map.of());

      assertThat(run("simulate", "--dir", running.toString(), "foreign-bucket", "taken")).isEqualTo(1);
      assertThat(err.toString()).contains("error: AWS::S3::Bucket taken already exists");
    }

    @Test
    void withoutDirTheSandboxIsFoundNextToTheKubeconfigThatKubeconfigNames() {
      String kubeconfig = dir.resolve("other/config") + java.io.File.pathSeparator + running.resolve("kubeconfig");

      assertThat(run(Map.of("KUBECONFIG", kubeconfig), "simulate", "foreign-table", "found")).isZero();

      assertThat(simulator.retainedResources()).extracting(RetainedResource::physicalId).containsExactly("found");
    }
  }
}
