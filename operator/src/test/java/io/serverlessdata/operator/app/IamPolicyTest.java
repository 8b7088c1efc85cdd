package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The IAM policies of docs/iam: valid, without wildcard actions, and covering what the adapter calls. */
class IamPolicyTest {

  private static final Path REPO = Path.of(System.getProperty("sds.repoRoot", ".."));
  private static final Path IAM = REPO.resolve("docs/iam");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Actions AWS authorises on {@code "Resource": "*"} only: they have no resource-level permissions
   * (DescribeStackDriftDetectionStatus, ListStacks — the Service Authorization Reference lists no resource type for
   * them) or act on a resource that does not exist yet (CreateKey, which the policy narrows with a request-tag
   * condition instead).
   */
  private static final Set<String> RESOURCE_STAR_REQUIRED = Set.of(
      "cloudformation:DescribeStackDriftDetectionStatus", "cloudformation:ListStacks", "kms:CreateKey");

  @ParameterizedTest
  @ValueSource(strings = {"operator-policy.json", "cloudformation-service-role-policy.json",
      "cloudformation-service-role-trust-policy.json"})
  void policyIsValidJsonWithoutWildcardActionsAndResourceStarOnlyWhereAwsRequiresIt(String file) throws IOException {
    JsonNode policy = JSON.readTree(IAM.resolve(file).toFile());
    assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
    assertThat(policy.path("Statement").isArray()).isTrue();
    for (JsonNode statement : policy.path("Statement")) {
      assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
      List<String> actions = strings(statement.path("Action"));
      assertThat(actions).isNotEmpty().allSatisfy(action -> {
        assertThat(action).doesNotContain("*");
      });
      if (strings(statement.path("Resource")).contains("*")) {
        assertThat(RESOURCE_STAR_REQUIRED).as("%s: Resource * for %s", file, actions).containsAll(actions);
      }
    }
  }

  @Test
  void operatorPolicyAllowsEveryCloudFormationCallOfTheAdapter() throws IOException {
    Set<String> allowed = actions(JSON.readTree(IAM.resolve("operator-policy.json").toFile()));
    Set<String> called = sdkCalls("AwsStackOperations.java", "(client)");

    assertThat(called).contains("cloudformation:CreateChangeSet", "cloudformation:DescribeStacks");
    assertThat(allowed).containsAll(called);
  }

  @Test
  void operatorPolicyAllowsTheTagReadsOfTheImportCheck() throws IOException {
    Set<String> allowed = actions(JSON.readTree(IAM.resolve("operator-policy.json").toFile()));
    // sts:GetCallerIdentity needs no permission: AWS allows it to every caller
    Set<String> called = sdkCalls("AwsAccountData.java", "(dynamoDb|s3)");

    assertThat(called).containsExactlyInAnyOrder("dynamodb:ListTagsOfResource", "s3:GetBucketTagging");
    assertThat(allowed).containsAll(called);
  }

  /**
   * The IAM actions an adapter of the cloudformation package calls: {@code client.describeStacks(} and
   * {@code client.listStacksPaginator(} on the CloudFormation client, {@code dynamoDb.listTagsOfResource(} on the
   * others, each as {@code service:Operation}.
   *
   * @param clients a regex group of the client fields to read ({@code client} is CloudFormation's)
   */
  private static Set<String> sdkCalls(String adapter, String clients) throws IOException {
    String source = Files.readString(REPO.resolve("operator/src/main/java/io/serverlessdata/operator/cloudformation")
        .resolve(adapter));
    Set<String> called = new TreeSet<>();
    Matcher call = Pattern.compile(clients + "\\.([a-z][A-Za-z]+)\\(").matcher(source);
    while (call.find()) {
      String operation = call.group(2).replaceFirst("Paginator$", "");
      if (!operation.equals("close")) {
        String service = switch (call.group(1)) {
          case "client" -> "cloudformation";
          case "dynamoDb" -> "dynamodb";
          default -> call.group(1);
        };
        called.add(service + ":" + Character.toUpperCase(operation.charAt(0)) + operation.substring(1));
      }
    }
    return called;
  }

  @Test
  void operatorMayPassOnlyTheServiceRoleAndOnlyToCloudFormation() throws IOException {
    for (JsonNode statement : JSON.readTree(IAM.resolve("operator-policy.json").toFile()).path("Statement")) {
      if (strings(statement.path("Action")).contains("iam:PassRole")) {
        assertThat(strings(statement.path("Resource"))).singleElement().asString().endsWith(":role/serverless-data-stack-cloudformation");
        assertThat(statement.path("Condition").path("StringEquals").path("iam:PassedToService").asText())
            .isEqualTo("cloudformation.amazonaws.com");
      }
    }
  }

  private static Set<String> actions(JsonNode policy) {
    Set<String> actions = new TreeSet<>();
    policy.path("Statement").forEach(s -> actions.addAll(strings(s.path("Action"))));
    return actions;
  }

  private static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node.isTextual()) {
      values.add(node.asText());
    } else {
      node.forEach(n -> values.add(n.asText()));
    }
    return values;
  }
}
