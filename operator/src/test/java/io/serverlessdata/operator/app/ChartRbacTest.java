package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests as the API server's authorizer sees them, and what the rendered chart's RBAC grants of them. */
class ChartRbacTest {

  private static final String LEASE = "/apis/coordination.k8s.io/v1/namespaces/sds-system/leases/serverless-data-stack-operator";

  @Test
  void requestsAreReadAsTheApiServerReadsThem() {
    assertThat(ApiAccess.of("GET", "/apis/serverlessdata.io/v1alpha1/serverlessdatastacks?allowWatchBookmarks=true&watch=true"))
        .hasToString("watch serverlessdata.io/serverlessdatastacks (cluster-wide)");
    assertThat(ApiAccess.of("GET", "/apis/serverlessdata.io/v1alpha1/namespaces/team-a/serverlessdatastacks?limit=500"))
        .hasToString("list serverlessdata.io/serverlessdatastacks in team-a");
    assertThat(ApiAccess.of("PATCH", "/apis/serverlessdata.io/v1alpha1/namespaces/team-a/serverlessdatastacks/orders/status"))
        .isEqualTo(new ApiAccess("patch", "serverlessdata.io", "serverlessdatastacks", "status", "team-a", "orders", ""));
    assertThat(ApiAccess.of("GET", "/api/v1/namespaces/team-a")).hasToString("get namespaces team-a in team-a");
    assertThat(ApiAccess.of("PUT", "/api/v1/namespaces/team-a/finalize"))
        .hasToString("update namespaces/finalize team-a in team-a");
    assertThat(ApiAccess.of("POST", "/api/v1/namespaces/team-a/events")).hasToString("create events in team-a");
    assertThat(ApiAccess.of("DELETE", "/api/v1/namespaces/team-a/configmaps"))
        .hasToString("deletecollection configmaps in team-a");
    assertThat(ApiAccess.of("DELETE", "/api/v1/namespaces/team-a/secrets/orders-api"))
        .hasToString("delete secrets orders-api in team-a");
    assertThat(ApiAccess.of("GET", "/api/v1/watch/namespaces/team-a/configmaps/orders-outputs"))
        .hasToString("watch configmaps orders-outputs in team-a");
    assertThat(ApiAccess.of("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews"))
        .hasToString("create authorization.k8s.io/selfsubjectrulesreviews (cluster-wide)");
    assertThat(ApiAccess.of("GET", "/apis/coordination.k8s.io/v1")).hasToString("get /apis/coordination.k8s.io/v1");
    assertThat(ApiAccess.of("GET", "/version").resourceRequest()).isFalse();
  }

  @Test
  void theLeaseRoleOfEarlierChartsRefusesTheRenewalThatFabric8Sends() throws IOException {
    List<HasMetadata> chart = HelmChartTest.render("deployment:\n  replicas: 2\n");
    ApiAccess renewal = ApiAccess.of("PATCH", LEASE);
    assertThat(ChartRbac.of(chart).grants(renewal)).isTrue();

    // the Role main's chart rendered: get, create, update
    Role lease = HelmChartTest.of(chart, Role.class).get(0);
    lease.setRules(List.of(new PolicyRuleBuilder().withApiGroups("coordination.k8s.io").withResources("leases")
        .withVerbs("get", "create", "update").build()));
    ChartRbac earlier = ChartRbac.of(chart);
    assertThat(earlier.grants(renewal)).isFalse();
    assertThat(earlier.grants(ApiAccess.of("GET", LEASE))).isTrue();
    assertThat(earlier.forbidden(renewal).getMessage()).isEqualTo("leases \"serverless-data-stack-operator\" is"
        + " forbidden: User \"system:serviceaccount:sds-system:sds-serverless-data-stack-operator\" cannot patch"
        + " resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"sds-system\"");
  }

  @Test
  void theLeaseRoleGrantsOnlyTheOperatorsLeaseInTheReleaseNamespace() throws IOException {
    ChartRbac rbac = ChartRbac.of(HelmChartTest.render("deployment:\n  replicas: 2\n"));
    assertThat(rbac.grants(ApiAccess.of("POST", "/apis/coordination.k8s.io/v1/namespaces/sds-system/leases"))).isTrue();
    assertThat(rbac.grants(ApiAccess.of("GET", LEASE))).isTrue();
    assertThat(rbac.grants(ApiAccess.of("PATCH", LEASE.replace("serverless-data-stack-operator", "other")))).isFalse();
    assertThat(rbac.grants(ApiAccess.of("PATCH", LEASE.replace("sds-system", "team-a")))).isFalse();
    assertThat(rbac.grants(ApiAccess.of("DELETE", LEASE))).isFalse();
    assertThat(rbac.grants(ApiAccess.of("GET", "/apis/coordination.k8s.io/v1/namespaces/sds-system/leases"))).isFalse();

    // JOSDK's lease check reads these rules: the named rule counts for the lease it uses
    List<ResourceRule> rules = rbac.rulesReview("sds-system").getStatus().getResourceRules();
    assertThat(rules).filteredOn(r -> r.getResources().contains("leases"))
        .extracting(r -> String.join(",", r.getVerbs()) + " " + r.getResourceNames())
        .containsExactlyInAnyOrder("create []", "get,update,patch [serverless-data-stack-operator]");
    assertThat(rbac.rulesReview("team-a").getStatus().getResourceRules())
        .noneMatch(r -> r.getResources().contains("leases"));
  }

  @Test
  void aRoleGrantsInItsNamespaceOnlyAndAClusterRoleEverywhere() throws IOException {
    ChartRbac namespaced = ChartRbac.of(HelmChartTest.render("watchNamespace: team-a,team-b\n"));
    assertThat(namespaced.grants(ApiAccess.of("GET", "/apis/serverlessdata.io/v1alpha1/namespaces/team-a/serverlessdatastacks")))
        .isTrue();
    assertThat(namespaced.grants(ApiAccess.of("GET", "/apis/serverlessdata.io/v1alpha1/namespaces/team-c/serverlessdatastacks")))
        .isFalse();
    assertThat(namespaced.grants(ApiAccess.of("GET", "/apis/serverlessdata.io/v1alpha1/serverlessdatastacks"))).isFalse();
    assertThat(namespaced.grants(ApiAccess.of("GET", "/api/v1/namespaces/team-b"))).isTrue();
    assertThat(namespaced.grants(ApiAccess.of("GET", "/api/v1/namespaces/team-c"))).isFalse();
    assertThat(namespaced.grants(ApiAccess.of("PUT", "/api/v1/namespaces/team-a/secrets/orders-api"))).isTrue();
    assertThat(namespaced.grants(ApiAccess.of("PUT", "/api/v1/namespaces/team-c/secrets/orders-api"))).isFalse();
    assertThat(namespaced.grants(ApiAccess.of("GET", "/api/v1/namespaces/team-a/secrets"))).as("list").isFalse();

    ChartRbac cluster = ChartRbac.of(HelmChartTest.render(""));
    assertThat(cluster.grants(ApiAccess.of("GET", "/apis/serverlessdata.io/v1alpha1/serverlessdatastacks?watch=true"))).isTrue();
    assertThat(cluster.grants(ApiAccess.of("PUT", "/apis/serverlessdata.io/v1alpha1/namespaces/x/serverlessdatastacks/o/status")))
        .isTrue();
    assertThat(cluster.grants(ApiAccess.of("GET", "/api/v1/namespaces/team-a/secrets/orders-api"))).isFalse();
    assertThat(cluster.grants(ApiAccess.of("GET", "/api/v1/namespaces/team-a/configmaps/orders-outputs"))).isFalse();
    assertThat(cluster.grants(ApiAccess.of("GET", "/apis"))).as("discovery, for every authenticated user").isTrue();
    assertThat(cluster.grants(ApiAccess.of("POST", "/apis"))).isFalse();
    assertThat(cluster.grants(ApiAccess.of("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews"))).isTrue();
  }
}
