package io.serverlessdata.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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
    CommandLine cli = SandboxCommand.commandLine();
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
        "sandbox.properties", "java -jar ");

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
}
