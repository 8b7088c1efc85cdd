package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.cloudformation.AwsStackOperations;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Runs the real operator through a stack's life (create, sync, delete) against the mock API server, then checks
 * that every request it made — read from the server's request log as (API group, resource, verb) — is granted by
 * the chart's default ClusterRole. A new API call in the operator fails here until the chart grants it.
 */
class RbacCoverageIT {

  /** A request as RBAC sees it. */
  record Access(String group, String resource, String verb) {
    @Override
    public String toString() {
      return (group.isEmpty() ? "" : group + "/") + resource + ":" + verb;
    }
  }

  @Test
  void chartClusterRoleGrantsEveryRequestTheOperatorMakesThroughAStacksLife() throws Exception {
    List<Access> used;
    try (MockCluster cluster = new MockCluster(); KubernetesClient operatorClient = cluster.operatorClient()) {
      OperatorRuntime operator = OperatorRuntime.create(cluster.config(), operatorClient, Clock.systemUTC());
      try {
        operator.start();
        cluster.client.resources(ServerlessDataStack.class).resource(MockCluster.stack("orders", "orders-dev"))
            .create();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
            () -> cluster.get("orders"),
            r -> r != null && r.getStatus() != null && "CREATE_COMPLETE".equals(r.getStatus().getStackStatus()));
        cluster.client.resources(ServerlessDataStack.class).resource(cluster.get("orders")).delete();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> cluster.get("orders") == null);
      } finally {
        operator.close();
      }
      used = cluster.takeRequests().stream()
          .filter(r -> MockCluster.OPERATOR_USER_AGENT.equals(r.getHeader("User-Agent")))
          .map(RbacCoverageIT::access)
          .flatMap(Optional::stream)
          .distinct()
          .toList();
    }

    List<PolicyRule> granted = HelmChartTest.of(HelmChartTest.renderDefaults(), ClusterRole.class).get(0).getRules();
    assertThat(used).extracting(Access::toString).as("what the operator did").contains(
        "serverlessdata.io/serverlessdatastacks:watch", "serverlessdata.io/serverlessdatastacks/status:patch",
        "events:create", "namespaces:get");
    Set<String> refused = new TreeSet<>();
    for (Access access : used) {
      if (granted.stream().noneMatch(rule -> grants(rule, access))) {
        refused.add(access.toString());
      }
    }
    assertThat(refused).as("requests of the operator that the chart's ClusterRole does not grant").isEmpty();
  }

  private static boolean grants(PolicyRule rule, Access access) {
    return rule.getApiGroups().contains(access.group()) && rule.getResources().contains(access.resource())
        && rule.getVerbs().contains(access.verb());
  }

  /** The request's group, resource and verb; empty for discovery ({@code /api}, {@code /apis/g/v}), open to all. */
  static Optional<Access> access(RecordedRequest request) {
    URI uri = URI.create(request.getPath());
    List<String> segments = Arrays.stream(uri.getPath().split("/")).filter(s -> !s.isEmpty()).toList();
    int at;
    String group;
    if (!segments.isEmpty() && segments.get(0).equals("api")) {
      group = "";
      at = 2;
    } else if (!segments.isEmpty() && segments.get(0).equals("apis")) {
      group = segments.size() > 1 ? segments.get(1) : "";
      at = 3;
    } else {
      return Optional.empty();
    }
    List<String> rest = segments.size() > at ? segments.subList(at, segments.size()) : List.of();
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty()) {
      return Optional.empty();
    }
    String resource = rest.get(0) + (rest.size() > 2 ? "/" + rest.get(2) : "");
    boolean named = rest.size() > 1;
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    String verb;
    switch (request.getMethod()) {
      case "GET":
        verb = query.contains("watch=true") ? "watch" : named ? "get" : "list";
        break;
      case "POST":
        verb = "create";
        break;
      case "PUT":
        verb = "update";
        break;
      case "PATCH":
        verb = "patch";
        break;
      case "DELETE":
        verb = named ? "delete" : "deletecollection";
        break;
      default:
        verb = request.getMethod().toLowerCase(java.util.Locale.ROOT);
    }
    return Optional.of(new Access(group, resource, verb));
  }
}
