package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RenderCommandTest {

  static final Path EXAMPLE = Path.of(System.getProperty("sds.repoRoot", ".."), "examples", "stack.yaml");

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path manifest(String yaml) throws Exception {
    Path file = dir.resolve("stack.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void rendersTheExampleAsATemplate() throws Exception {
    int exit = run("render", "-f", EXAMPLE.toString());

    assertThat(exit).isZero();
    JsonNode template = new ObjectMapper().readTree(out.toString());
    assertThat(template.path("AWSTemplateFormatVersion").asText()).isEqualTo("2010-09-09");
    assertThat(template.path("Resources").path("ProcessingTable").path("Type").asText()).isEqualTo("AWS::DynamoDB::Table");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void rendersYaml() throws Exception {
    assertThat(run("render", "-f", EXAMPLE.toString(), "--format", "yaml")).isZero();

    JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(out.toString());
    assertThat(template.path("Resources").path("ProcessorFunction").path("Properties").path("Runtime").path("Ref").asText())
        .isEqualTo("LambdaRuntime");
  }

  @Test
  void printsParametersTagsAndHash() throws Exception {
    assertThat(run("render", "-f", EXAMPLE.toString(), "--parameters")).isZero();

    JsonNode summary = new ObjectMapper().readTree(out.toString());
    assertThat(summary.path("stackName").asText()).isEqualTo("default-orders");
    assertThat(summary.path("parameters").path("ResourcePrefix").asText()).isEqualTo("orders-prod");
    assertThat(summary.path("parameters").path("DynamoDbReadCapacity").asText()).isEqualTo("5");
    assertThat(summary.path("tags").path("team").asText()).isEqualTo("data-platform");
    assertThat(summary.path("hash").asText()).hasSize(64);
    assertThat(summary.path("tags").has("serverlessdata.io/owner-uid")).isFalse();
    assertThat(err.toString()).isEqualTo("note: without the manifest's metadata.uid (the operator's"
        + " serverlessdata.io/owner-uid tag) and --account-id (the bucket's name) this hash is not the resource's"
        + " status.specHash; for that one: kubectl get sds NAME -o yaml | ... render -f - --parameters --account-id"
        + " ACCOUNT" + System.lineSeparator());
  }

  @Test
  void aManifestWithItsUidAndAnAccountRendersTheOwnerTagAndNoNote() throws Exception {
    String stored = Files.readString(EXAMPLE).replace("  namespace: default\n",
        "  namespace: default\n  uid: 6b1f0c52-4a8e-4a4e-9d36-1f2a3b4c5d6e\n  resourceVersion: \"17\"\n");
    assertThat(run("render", "-f", manifest(stored).toString(), "--parameters", "--account-id", "123456789012"))
        .isZero();
    assertThat(err.toString()).isEmpty();
    JsonNode withUid = new ObjectMapper().readTree(out.toString());
    out.getBuffer().setLength(0);
    assertThat(run("render", "-f", EXAMPLE.toString(), "--parameters", "--account-id", "123456789012")).isZero();
    JsonNode without = new ObjectMapper().readTree(out.toString());

    assertThat(withUid.path("tags").path("serverlessdata.io/owner-uid").asText())
        .isEqualTo("6b1f0c52-4a8e-4a4e-9d36-1f2a3b4c5d6e");
    assertThat(withUid.path("hash").asText()).hasSize(64).isNotEqualTo(without.path("hash").asText());
    assertThat(err.toString()).startsWith("note: without the manifest's metadata.uid (the operator's"
        + " serverlessdata.io/owner-uid tag) this hash").doesNotContain("--account-id (");
    err.getBuffer().setLength(0);
    assertThat(run("render", "-f", manifest(stored).toString(), "--parameters")).isZero();
    assertThat(err.toString()).startsWith("note: without --account-id (the bucket's name) this hash");
  }


  @Test
  void readsTheManifestFromStandardInput() throws Exception {
    InputStream original = System.in;
    try {
      System.setIn(new ByteArrayInputStream(Files.readAllBytes(EXAMPLE)));
      assertThat(run("render", "-f", "-", "--parameters")).isZero();
    } finally {
      System.setIn(original);
    }
    assertThat(out.toString()).contains("\"ResourcePrefix\" : \"orders-prod\"");
  }

  @Test
  void invalidManifestExitsNonZeroListingEveryViolation() throws Exception {
    Path file = manifest("""
        apiVersion: serverlessdata.io/v1alpha1
        kind: ServerlessDataStack
        metadata: {name: bad}
        spec:
          resourcePrefix: Bad_Prefix
          alertEmail: not-an-email
          dynamoDbReadCapacity: 4
        """);

    assertThat(run("render", "-f", file.toString())).isEqualTo(1);

    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .contains("spec.resourcePrefix: must be 3-32 lowercase letters")
        .contains("spec.alertEmail: must be an e-mail address")
        .contains("spec.dynamoDbReadCapacity: must be at least 5, got 4");
  }

  @Test
  void unknownRuntimeNamesTheFieldAndTheAllowedValues() throws Exception {
    Path file = manifest("""
        apiVersion: serverlessdata.io/v1alpha1
        kind: ServerlessDataStack
        metadata: {name: old}
        spec: {resourcePrefix: orders, alertEmail: ops@example.com, lambda: {runtime: nodejs18.x}}
        """);

    assertThat(run("render", "-f", file.toString())).isEqualTo(1);

    assertThat(err.toString()).contains(
        "spec.lambda.runtime: unknown value \"nodejs18.x\"; allowed: nodejs20.x, nodejs22.x, nodejs24.x");
  }

  @Test
  void misspelledFieldIsReported() throws Exception {
    Path file = manifest("""
        apiVersion: serverlessdata.io/v1alpha1
        kind: ServerlessDataStack
        metadata: {name: typo}
        spec: {resourcePrefix: orders, alertEmail: ops@example.com, dynamoDBReadCapacity: 10}
        """);

    assertThat(run("render", "-f", file.toString())).isEqualTo(1);

    assertThat(err.toString()).contains("spec.dynamoDBReadCapacity: unknown field");
  }

  @Test
  void deprecatedRuntimeRendersWithAWarning() throws Exception {
    Path file = manifest("""
        apiVersion: serverlessdata.io/v1alpha1
        kind: ServerlessDataStack
        metadata: {name: legacy}
        spec: {resourcePrefix: orders, alertEmail: ops@example.com, lambda: {runtime: nodejs20.x}}
        """);

    assertThat(run("render", "-f", file.toString(), "--parameters")).isZero();

    assertThat(err.toString()).startsWith("warning: runtime nodejs20.x is deprecated").contains("2027-02-01");
  }

  @Test
  void manifestWithoutAStackIsRejected() throws Exception {
    Path file = manifest("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: x}
        """);

    assertThat(run("render", "-f", file.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("manifest: must hold exactly one ServerlessDataStack, found 0");
  }

  @Test
  void missingFileIsReported() {
    assertThat(run("render", "-f", dir.resolve("nope.yaml").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("no such file");
  }

  @Test
  void missingOptionIsAUsageError() {
    assertThat(run("render")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option");
    assertThat(new String(out.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEmpty();
  }
}
