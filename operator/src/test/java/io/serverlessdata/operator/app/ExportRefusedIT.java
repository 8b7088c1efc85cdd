package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.ExportSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.exportTo} under the RBAC the chart renders, enforced by the mock API server as a real one would:
 * the default cluster-scope install grants no ConfigMap or Secret, so the export is refused (HTTP 403) and the
 * {@code Exported} condition says which grant is missing and which chart value gives it; once the chart lists
 * the namespace, the same resource exports.
 */
class ExportRefusedIT {

  @Test
  void exportRefusedByRbacNamesTheMissingGrantAndTheChartValueThenSucceedsOnceGranted() throws Exception {
    try (MockCluster cluster = new MockCluster()) {
      cluster.authorize(ChartRbac.of(HelmChartTest.render("")), true);
      try (KubernetesClient kubernetes = cluster.operatorClient();
          OperatorRuntime operator = OperatorRuntime.create(cluster.config(), kubernetes, Clock.systemUTC())) {
        operator.start();
          cluster.client.resources(ServerlessDataStack.class).resource(
              MockCluster.stack("orders", "orders-dev", new ExportSpec("orders-outputs", "orders-api"))).create();

        ServerlessDataStack refused = await(cluster, exported("False"));
        Condition condition = exportedCondition(refused).orElseThrow();
        assertThat(condition.getReason()).isEqualTo("ExportRefused");
        assertThat(condition.getMessage()).isEqualTo(
            "ConfigMap team-a/orders-outputs: the API server refused access (HTTP 403 Forbidden); exporting needs"
                + " get, create, update and delete on configmaps in namespace team-a, which the Helm chart grants"
                + " when exportTo.namespaces lists team-a (and exportTo.enabled is true); "
                + "Secret team-a/orders-api: the API server refused access (HTTP 403 Forbidden); exporting needs"
                + " get, create, update and delete on secrets in namespace team-a, which the Helm chart grants"
                + " when exportTo.namespaces lists team-a (and exportTo.enabled is true)");
        assertThat(refused.getStatus().getStackStatus()).isEqualTo("CREATE_COMPLETE");
        assertThat(refused.getStatus().getExports()).isNull();
        assertThat(cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).withName("orders-outputs").get())
            .isNull();

        // helm upgrade --set 'exportTo.namespaces={team-a}'
        cluster.authorize(ChartRbac.of(HelmChartTest.render("exportTo:\n  namespaces: [team-a]\n")), true);
        ServerlessDataStack exported = await(cluster, exported("True"));
        assertThat(exported.getStatus().getExports().configMapName()).isEqualTo("orders-outputs");
        assertThat(cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).withName("orders-api").get())
            .isNotNull();
      }
    }
  }

  private static ServerlessDataStack await(MockCluster cluster, Predicate<ServerlessDataStack> condition) {
    return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> cluster.get("orders"), condition);
  }

  private static Predicate<ServerlessDataStack> exported(String status) {
    return r -> r != null && r.getStatus() != null
        && exportedCondition(r).filter(c -> c.getStatus().equals(status)).isPresent();
  }

  private static Optional<Condition> exportedCondition(ServerlessDataStack resource) {
    return resource.getStatus().getConditions().stream().filter(c -> c.getType().equals("Exported")).findFirst();
  }
}
